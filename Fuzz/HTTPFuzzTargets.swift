// Fuzz targets `http-request`, `http-response` and `range` (HTTP/1.1 parsing in VerbundHTTP).
@testable import VerbundHTTP

/// `http-request`: each input is parsed twice (whole, then in pieces whose size comes from the first byte) with
/// small limits, and both runs must agree: same events and same outcome. The same bytes also go through the
/// response parser, which shares the field and body code.
func fuzzHTTPRequestParser(_ input: UnsafeRawBufferPointer) {
    let size = input.count
    let limits = HTTPParserLimits(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 16,
                                  maxBodyBytes: 4096, maxChunkExtensionBytes: 64)
    let whole = run(input, step: size, limits: limits)
    let step = size > 0 ? Int(input[0] % 7) + 1 : 1
    let pieces = run(input, step: step, limits: limits)
    require(whole == pieces, "whole and piecewise request parsing disagree")
    _ = runResponse(input, step: size, limits: limits)
    for event in whole.events {
        if case let .head(head) = event {
            _ = try? HTTPRequestTarget(head.target)
            _ = HTTPByteRange.resolve(range: head.headers["range"], ifRange: head.headers["if-range"],
                                      etag: "\"e\"", length: 1000)
        }
    }
}

/// `http-response`: a response (to GET or HEAD, from the first byte) parsed whole and in pieces must agree.
func fuzzHTTPResponseParser(_ input: UnsafeRawBufferPointer) {
    let limits = HTTPParserLimits(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 16,
                                  maxBodyBytes: 4096, maxChunkExtensionBytes: 64)
    let whole = runResponse(input, step: input.count, limits: limits)
    let step = input.count > 1 ? Int(input[1] % 7) + 1 : 1
    require(whole == runResponse(input, step: step, limits: limits), "whole and piecewise response parsing disagree")
}

/// `range`: a Range / If-Range pair (two lines after 4 length bytes) resolves inside the representation.
func fuzzByteRange(_ bytes: [UInt8]) {
    guard bytes.count >= 4 else { return }
    let length = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) } >> (Int(bytes[0] & 3) * 8)
    let lines = bytes[4...].split(separator: 0x0a, maxSplits: 1, omittingEmptySubsequences: false)
    let range = String(decoding: lines[0], as: UTF8.self)
    let ifRange = lines.count > 1 ? String(decoding: lines[1], as: UTF8.self) : nil
    switch HTTPByteRange.resolve(range: range, ifRange: ifRange, etag: "\"v1\"", length: length) {
    case .partial(let bounds):
        require(bounds.lowerBound >= 0 && bounds.upperBound < length, "range \(bounds) outside a length of \(length)")
        _ = HTTPByteRange.contentRange(bounds, length: length)
    case .full, .unsatisfiable:
        break
    }
    _ = try? HTTPRequestTarget(range)
}

private struct Outcome: Equatable {
    var events: [HTTPRequestParser.Event] = []
    var error: HTTPParseError?
}

private func run(_ input: UnsafeRawBufferPointer, step: Int, limits: HTTPParserLimits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    var start = 0
    repeat {
        let end = min(start + max(step, 1), input.count)
        var piece = UnsafeRawBufferPointer(rebasing: input[start..<end])
        start = end
        do {
            while true {
                let (consumed, event) = try parser.parse(piece)
                piece = UnsafeRawBufferPointer(rebasing: piece[consumed...])
                guard let event else { break }
                if case let .body(bytes) = event, case let .body(previous)? = outcome.events.last {
                    outcome.events[outcome.events.count - 1] = .body(previous + bytes)
                } else {
                    outcome.events.append(event)
                }
            }
        } catch {
            outcome.error = error
            return outcome
        }
    } while start < input.count
    return outcome
}

private struct ResponseOutcome: Equatable {
    var events: [HTTPResponseParser.Event] = []
    var error: HTTPParseError?
}

/// Feeds `input` in pieces of `step` bytes until the first response ends, then signals the end of input.
private func runResponse(_ input: UnsafeRawBufferPointer, step: Int, limits: HTTPParserLimits) -> ResponseOutcome {
    var parser = HTTPResponseParser(requestMethod: input.first.map { $0 & 1 == 0 } == true ? .get : .head, limits: limits)
    var outcome = ResponseOutcome()
    var start = 0
    do {
        repeat {
            let end = min(start + max(step, 1), input.count)
            var piece = UnsafeRawBufferPointer(rebasing: input[start..<end])
            start = end
            while true {
                let (consumed, event) = try parser.parse(piece)
                piece = UnsafeRawBufferPointer(rebasing: piece[consumed...])
                guard let event else { break }
                if case let .body(bytes) = event, case let .body(previous)? = outcome.events.last {
                    outcome.events[outcome.events.count - 1] = .body(previous + bytes)
                } else {
                    outcome.events.append(event)
                }
                if case .end = event { return outcome }
            }
        } while start < input.count
        outcome.events.append(try parser.endOfInput())
    } catch {
        outcome.error = error
    }
    return outcome
}
