// libFuzzer entry point for the HTTP/1.1 request parser; built by scripts/fuzz-http-parser.sh.
// Each input is parsed twice (whole, then in pieces whose size comes from the first byte) with small
// limits, and both runs must agree: same events and same outcome. The same bytes also go through the
// response parser, which shares the field and body code.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let limits = HTTPParserLimits(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 16,
                                  maxBodyBytes: 4096, maxChunkExtensionBytes: 64)
    let whole = run(input, step: size, limits: limits)
    let step = size > 0 ? Int(input[0] % 7) + 1 : 1
    let pieces = run(input, step: step, limits: limits)
    if whole != pieces {
        fatalError("whole and piecewise parsing disagree")
    }
    fuzzResponseParser(input, limits: limits)
    for event in whole.events {
        if case let .head(head) = event {
            _ = try? HTTPRequestTarget(head.target)
            _ = HTTPByteRange.resolve(range: head.headers["range"], ifRange: head.headers["if-range"],
                                      etag: "\"e\"", length: 1000)
        }
    }
    return 0
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

private func fuzzResponseParser(_ input: UnsafeRawBufferPointer, limits: HTTPParserLimits) {
    var parser = HTTPResponseParser(requestMethod: input.first.map { $0 & 1 == 0 } == true ? .get : .head, limits: limits)
    var rest = input
    do {
        while true {
            let (consumed, event) = try parser.parse(rest)
            rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
            if event == nil { break }
            if case .end = event { return }
        }
        _ = try parser.endOfInput()
    } catch {
        return
    }
}
