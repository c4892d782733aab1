import Foundation

/// What an `Authorization` field of a management request presents, parsed without looking anything up (a pure value).
///
/// Two wire forms:
/// - `Bearer <token>` (RFC 6750 §2.1): the operator token of `management.token`, as before accounts existed;
/// - `Basic <base64 of name:secret>` (RFC 7617 §2): an account. `curl -u name:secret` sends exactly this. Account
///   names cannot hold `:` (`AccountStore.isValidName`), so the first `:` separates name and secret.
///
/// The field is bounded (`maxFieldBytes`) before it is decoded; a secret is at most 1024 bytes (`AccountStore`).
package enum ManagementCredential: Sendable, Equatable {
    /// No `Authorization` field.
    case none
    case bearer(String)
    case account(name: String, secret: String)
    /// A field that is neither form, or a Basic value that does not decode; says why.
    case malformed(String)

    package static let maxFieldBytes = 2048

    package static func parse(_ field: String?) -> ManagementCredential {
        guard let field else { return .none }
        guard field.utf8.count <= maxFieldBytes else { return .malformed("the Authorization field is longer than \(maxFieldBytes) bytes") }
        let parts = field.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return .malformed("the Authorization field is not 'Bearer <token>' or 'Basic <credentials>'") }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "bearer":
            return .bearer(value)
        case "basic":
            guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else {
                return .malformed("the Basic credentials are not base64 of 'account:secret' (RFC 7617 §2)")
            }
            return .account(name: String(text[..<colon]), secret: String(text[text.index(after: colon)...]))
        default:
            return .malformed("the Authorization scheme is neither Bearer (operator token) nor Basic (account)")
        }
    }
}
