/// The Amtlicher Gemeindeschlüssel (AGS): the official 8-digit key of a German municipality, as
/// Land (2) + Regierungsbezirk (1) + Kreis (2) + Gemeinde (3) digits, e.g. `16053000` for Jena.
///
/// Only the form is checked (8 digits, Land 01–16); whether the municipality exists is the admin's call.
package struct MunicipalityKey: Hashable, Sendable, Codable, CustomStringConvertible {
    package let digits: String

    package init(_ text: String) throws(MunicipalityKeyError) {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw MunicipalityKeyError(value: text, reason: "an AGS is exactly 8 digits")
        }
        guard let land = Int(text.prefix(2)), (1...16).contains(land) else {
            throw MunicipalityKeyError(value: text, reason: "the first two digits name the Land and must be 01 to 16")
        }
        digits = text
    }

    /// The two-digit Land prefix, used by region constraints ("cities of Thuringia": `16`).
    package var land: String { String(digits.prefix(2)) }

    /// Whether this key lies in the region named by an AGS prefix such as `16` or `16053`.
    package func isWithin(prefix: String) -> Bool { digits.hasPrefix(prefix) }

    package var description: String { digits }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}

/// An AGS that is not of the right form.
package struct MunicipalityKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    package let value: String
    package let reason: String

    package var description: String { "AGS '\(value)' is malformed: \(reason), e.g. 16053000" }
}
