/// The form of federation and member ids: they become URN segments (RFC 8141 NSS) and file names, so they are kept
/// to lowercase ASCII letters, digits and inner hyphens, 1–63 characters (the DNS label rule people already know).
package enum Identifier {
    package static let maximumLength = 63

    /// Whether `text` is a well-formed federation or member id.
    package static func isValid(_ text: String) -> Bool {
        (try? check(text, kind: "id")) != nil
    }

    /// Throws an error that says what is wrong with `text` as a `kind` (e.g. "member id").
    package static func check(_ text: String, kind: String) throws(IdentifierError) {
        guard !text.isEmpty else { throw IdentifierError(kind: kind, value: text, reason: "it is empty") }
        guard text.utf8.count <= maximumLength else {
            throw IdentifierError(kind: kind, value: text, reason: "it is longer than \(maximumLength) characters")
        }
        for scalar in text.unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
            guard allowed else {
                throw IdentifierError(
                    kind: kind, value: text,
                    reason: "'\(scalar)' is not allowed (use lowercase letters a-z, digits and '-')")
            }
        }
        guard text.first != "-", text.last != "-" else {
            throw IdentifierError(kind: kind, value: text, reason: "it starts or ends with '-'")
        }
    }
}

/// A malformed federation or member id.
package struct IdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    package let kind: String
    package let value: String
    package let reason: String

    package var description: String {
        "\(kind) '\(value)' is malformed: \(reason); e.g. 'stadt-jena'"
    }
}
