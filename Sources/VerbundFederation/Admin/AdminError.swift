/// Why an admin or member operation on a folder was refused or failed. Each case says what to do.
package enum AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    case file(operation: String, path: String, reason: String)
    /// `federation init` or `member init` would overwrite existing material.
    case alreadyExists(path: String)
    /// The folder is not a federation admin folder (no root.pem / registry).
    case notAFederation(path: String, missing: String)
    case invalidInput(String)
    /// The CSR (or its key) is not acceptable.
    case csrRefused(String)
    case duplicateMember(id: String)
    case unknownMember(id: String)
    /// The member's status does not allow the change (e.g. reinstating a revoked member).
    case statusConflict(String)
    /// A trust primitive failed (OpenSSL text included).
    case crypto(operation: String, reason: String)
    /// The folder's own registry, chain or CRL does not check out.
    case inconsistent(String)

    package var description: String {
        switch self {
        case let .file(operation, path, reason):
            return "\(operation) \(path) failed: \(reason)"
        case let .alreadyExists(path):
            return "\(path) already exists; refusing to overwrite it (choose another --dir or move the old one away)"
        case let .notAFederation(path, missing):
            return "\(path) is not a federation admin folder (\(missing) is missing); run `verbund federation init --dir \(path) ...` first"
        case let .invalidInput(text):
            return text
        case let .csrRefused(text):
            return "CSR refused: \(text)"
        case let .duplicateMember(id):
            return "member '\(id)' is already in the registry; use `verbund federation renew` for a new certificate"
        case let .unknownMember(id):
            return "no member '\(id)' in the registry; `verbund federation show` lists the members"
        case let .statusConflict(text):
            return text
        case let .crypto(operation, reason):
            return "\(operation) failed: \(reason)"
        case let .inconsistent(text):
            return "the federation folder is inconsistent: \(text)"
        }
    }
}
