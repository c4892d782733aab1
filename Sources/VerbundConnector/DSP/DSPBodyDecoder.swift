import Foundation
import VerbundDataspace

/// JSON decoding of DSP bodies with error texts a peer's developer can act on (which field, what was wrong).
enum DSPBodyDecoder {
    static func decode<Message: Decodable>(_ type: Message.Type, from bytes: [UInt8]) throws -> Message {
        try DSPJSON.decode(type, from: Data(bytes))
    }

    static func explain(_ error: any Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context):
            return "invalid JSON" + location(context.codingPath) + (context.underlyingError == nil ? ": \(context.debugDescription)" : "")
        case let DecodingError.keyNotFound(key, context):
            return "missing \(path(context.codingPath + [key]))"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        default:
            return String(describing: error)
        }
    }

    private static func location(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "" : " at \(path(codingPath))"
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the top level" : codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
