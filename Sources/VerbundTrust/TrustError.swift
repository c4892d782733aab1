/// Failures of the trust primitives that are not an OpenSSL error-queue entry: bad input, unsafe files, wrong key types.
package enum TrustError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A private key file can be read by group or others; OpenSSH-style refusal.
    case insecureKeyFile(path: String, mode: UInt32)
    /// A file operation failed; `errno` text included.
    case file(operation: String, path: String, reason: String)
    /// PEM or DER input held no object of the expected kind.
    case malformed(what: String, reason: String)
    /// The key is of a type this operation does not accept.
    case unsupportedKey(operation: String, kind: KeyKind)
    /// A value given by the caller is not acceptable (e.g. a non-ASCII URI, zero validity days).
    case invalidArgument(String)
    /// A CSR's self-signature does not verify: the requester did not prove possession of the private key.
    case csrSignatureInvalid

    package var description: String {
        switch self {
        case let .insecureKeyFile(path, mode):
            let octal = String(mode & 0o777, radix: 8)
            return "private key file \(path) is readable by group or others (mode 0\(octal)); run `chmod 600 \(path)` and try again"
        case let .file(operation, path, reason):
            return "\(operation) \(path) failed: \(reason)"
        case let .malformed(what, reason):
            return "\(what) is malformed: \(reason)"
        case let .unsupportedKey(operation, kind):
            return "\(operation) does not accept a \(kind) key; use a P-256 key"
        case let .invalidArgument(text):
            return text
        case .csrSignatureInvalid:
            return "the CSR's signature does not verify with its own public key (no proof of possession); ask the member to create a new CSR"
        }
    }
}
