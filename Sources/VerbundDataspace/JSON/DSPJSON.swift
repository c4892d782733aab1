import Foundation
import VerbundJSON

/// Encoding and decoding of DSP documents. Encoding is deterministic (sorted keys, no escaped slashes) so
/// the bytes of a message or agreement can be signed and re-created.
package enum DSPJSON {
    package static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Decodes a DSP document after the strict parse (`CanonicalJSON.parsePeerJSON`): a body with a duplicate member
    /// name or other invalid JSON is refused here, never read first-key-wins by Foundation's decoder.
    package static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        _ = try CanonicalJSON.parsePeerJSON(data)
        return try JSONDecoder().decode(type, from: data)
    }
}

extension KeyedDecodingContainer where Key == JSONKey {
    /// Checks `@context` of a root message: a string or an array, which must name the 2025-1 context.
    func requireDSPContext() throws {
        guard contains("@context") else { throw DSPMessageError.missingContext }
        let contexts: [String]
        if let single = try? decode(String.self, forKey: "@context") {
            contexts = [single]
        } else if let values = try? decode([JSONValue].self, forKey: "@context") {
            contexts = values.compactMap(\.stringValue)
        } else {
            throw DSPMessageError.missingContext
        }
        guard contexts.contains(DSPVocabulary.context) else { throw DSPMessageError.missingContext }
    }

    /// Checks that `@type` is the expected single string.
    func requireType(_ expected: String) throws {
        let found = try? decode(String.self, forKey: "@type")
        guard found == expected else { throw DSPMessageError.unexpectedType(expected: expected, found: found) }
    }

    func string(_ key: String) throws -> String {
        try decode(String.self, forKey: JSONKey(key))
    }

    func optionalString(_ key: String) throws -> String? {
        try decodeIfPresent(String.self, forKey: JSONKey(key))
    }

    /// `reason` is `[≥1]` in the schemas; items may be strings or objects, text is kept.
    func reasons() throws -> [String] {
        guard let values = try decodeIfPresent([JSONValue].self, forKey: "reason") else { return [] }
        return values.map { value in
            if let text = value.stringValue { return text }
            if let data = try? DSPJSON.encode(value), let text = String(data: data, encoding: .utf8) { return text }
            return ""
        }
    }

    /// A property that is a string or an array of strings in JSON-LD compact form.
    func stringList(_ key: String) throws -> [String] {
        if let single = try? decode(String.self, forKey: JSONKey(key)) { return [single] }
        return try decodeIfPresent([String].self, forKey: JSONKey(key)) ?? []
    }

    /// The keys not in `known`, with their values: extension properties kept through decode and encode.
    func extraProperties(excluding known: Set<String>) throws -> [String: JSONValue] {
        var extras: [String: JSONValue] = [:]
        for key in allKeys where !known.contains(key.stringValue) {
            extras[key.stringValue] = try decode(JSONValue.self, forKey: key)
        }
        return extras
    }
}

extension KeyedEncodingContainer where Key == JSONKey {
    /// Emits `@context` as the array 2025-1 requires and `@type` as a single string.
    mutating func encodeHeader(type: String) throws {
        try encode([DSPVocabulary.context], forKey: "@context")
        try encode(type, forKey: "@type")
    }

    /// A catalog or dataset at the root of a document carries the full header; nested ones only `@type`.
    mutating func encodeType(_ type: String, asRoot: Bool) throws {
        if asRoot {
            try encodeHeader(type: type)
        } else {
            try encode(type, forKey: "@type")
        }
    }

    mutating func encodeReasons(code: String?, reasons: [String]) throws {
        try encodeIfPresent(code, forKey: "code")
        if !reasons.isEmpty { try encode(reasons, forKey: "reason") }
    }

    /// Writes the extension properties kept by `extraProperties(excluding:)`; a key in `known` is the object's
    /// own and is never overwritten by an extension value.
    mutating func encodeProperties(_ properties: [String: JSONValue], excluding known: Set<String>) throws {
        for (key, value) in properties where !known.contains(key) { try encode(value, forKey: JSONKey(key)) }
    }
}
