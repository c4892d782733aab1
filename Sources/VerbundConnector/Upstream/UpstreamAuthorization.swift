import Foundation

/// The `Authorization` field value the provider sends to an upstream, made from a credential file's contents. Pure:
/// the bytes come from `UpstreamCredentialFile.read`. Errors name the file, never the contents.
package enum UpstreamAuthorization {
    package struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// `Bearer <token>` for a token of RFC 6750 §2.1's b64token characters; `Basic <base64(user:password)>`
    /// (RFC 7617 §2) for `user:password` without control characters and a user without `:`.
    package static func value(kind: DatasetUpstream.CredentialKind, contents: [UInt8], file: String) throws(Problem) -> String {
        switch kind {
        case .bearer:
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=".utf8)
            guard !contents.isEmpty, contents.count <= 8192, contents.allSatisfy(allowed.contains),
                  contents.first != UInt8(ascii: "=") else {
                throw Problem(description: "upstream credential file \(file) does not hold one bearer token (letters, digits "
                              + "and -._~+/ with = only at the end, one line, at most 8192 characters)")
            }
            return "Bearer " + String(decoding: contents, as: UTF8.self)
        case .basic:
            guard let colon = contents.firstIndex(of: UInt8(ascii: ":")), colon > 0, contents.count <= 8192,
                  contents.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
                throw Problem(description: "upstream credential file \(file) does not hold user:password on one line "
                              + "(a user without ':', no control characters)")
            }
            return "Basic " + Data(contents).base64EncodedString()
        }
    }
}
