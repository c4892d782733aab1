@testable import VerbundHTTP

/// Feeds a request parser in pieces of `step` bytes (0 = all at once) and collects its events.
struct ParserDriver {
    var parser: HTTPRequestParser

    init(limits: HTTPParserLimits = HTTPParserLimits()) {
        parser = HTTPRequestParser(limits: limits)
    }

    mutating func feed(_ text: String, step: Int = 0) throws -> [HTTPRequestParser.Event] {
        try feed(Array(text.utf8), step: step)
    }

    mutating func feed(_ bytes: [UInt8], step: Int = 0) throws -> [HTTPRequestParser.Event] {
        var events: [HTTPRequestParser.Event] = []
        let size = step == 0 ? max(bytes.count, 1) : step
        var start = 0
        repeat {
            let piece = Array(bytes[start..<min(start + size, bytes.count)])
            start += piece.count
            try feedPiece(piece, into: &events)
        } while start < bytes.count
        return Self.merged(events)
    }

    private mutating func feedPiece(_ piece: [UInt8], into events: inout [HTTPRequestParser.Event]) throws {
        var offset = 0
        while true {
            let result: (consumed: Int, event: HTTPRequestParser.Event?) = try piece.withUnsafeBytes { buffer in
                try parser.parse(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            }
            offset += result.consumed
            guard let event = result.event else { return }
            events.append(event)
        }
    }

    /// Adjacent body events joined, so piecewise and whole feeding compare equal.
    static func merged(_ events: [HTTPRequestParser.Event]) -> [HTTPRequestParser.Event] {
        var out: [HTTPRequestParser.Event] = []
        for event in events {
            if case let .body(more) = event, case let .body(previous)? = out.last {
                out[out.count - 1] = .body(previous + more)
            } else {
                out.append(event)
            }
        }
        return out
    }
}

/// The status a request is refused with, or nil when it parses.
func refusal(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) -> Int? {
    var driver = ParserDriver(limits: limits)
    do {
        _ = try driver.feed(text)
        return nil
    } catch let error as HTTPParseError {
        return error.status.code
    } catch {
        return -1
    }
}
