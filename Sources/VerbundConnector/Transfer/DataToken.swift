import Foundation
import VerbundTrust

/// The transfer-bound bearer token of the `HttpData-PULL` data plane: 32 random bytes (256 bits) as base64url,
/// compared in constant time so the comparison leaks nothing about how much of a guess was right.
enum DataToken {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()  // getrandom(2): cryptographically secure on Linux
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), or nil when the field is absent or another scheme.
    static func bearer(_ field: String?) -> String? {
        guard let field else { return nil }
        let parts = field.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Constant-time equality over the longer length (length differences still compare every byte).
    static func matches(_ presented: String, _ expected: String) -> Bool {
        let a = Array(presented.utf8), b = Array(expected.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
