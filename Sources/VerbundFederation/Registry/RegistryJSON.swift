import Foundation
import VerbundJSON
import VerbundTrust

/// The JSON form of registry payloads: sorted keys, no insignificant whitespace, unescaped slashes and
/// RFC 3339 UTC timestamps in whole seconds, so the same registry always encodes to the same bytes.
package enum RegistryJSON {
    package static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .internetDateTime
        return Array(try encoder.encode(value))
    }

    /// Decodes after the strict parse (`CanonicalJSON.parsePeerJSON`): duplicate member names are refused.
    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        _ = try CanonicalJSON.parsePeerJSON(bytes)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .internetDateTime
        return try decoder.decode(type, from: Data(bytes))
    }

    /// A short human reason for a decoding failure (the field path and what was wrong).
    package static func describe(_ error: any Error) -> String { JSONProblem.explain(error) }
}
