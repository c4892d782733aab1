import VerbundTrust

/// A file holding an upstream credential (a bearer token, `user:password`, or a client key). Only its path is ever
/// stored; the daemon reads the contents when it forwards, and only if the file is owner-only (mode 0600 or
/// stricter), checked on the open descriptor (`KeyFile.readOwnerOnly`). Errors name the path, never the contents.
package enum UpstreamCredentialFile {
    package enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case readableByOthers(path: String, mode: UInt32)
        case unreadable(path: String, reason: String)
        case empty(path: String)

        package var description: String {
            switch self {
            case let .readableByOthers(path, mode):
                return "upstream credential file \(path) is readable by group or others (mode 0"
                    + "\(String(mode & 0o777, radix: 8))); run `chmod 600 \(path)` and try again"
            case let .unreadable(path, reason):
                return "upstream credential file \(path) cannot be read: \(reason)"
            case let .empty(path):
                return "upstream credential file \(path) is empty; write the credential into it"
            }
        }
    }

    /// The file's contents with one trailing line break removed (editors add one).
    package static func read(_ path: String) throws(Failure) -> [UInt8] {
        var contents: [UInt8]
        do {
            contents = try KeyFile.readOwnerOnly(path)
        } catch TrustError.insecureKeyFile(_, let mode) {
            throw .readableByOthers(path: path, mode: mode)
        } catch {
            throw .unreadable(path: path, reason: (error as? TrustError).map { "\($0)" } ?? "\(error)")
        }
        if contents.last == UInt8(ascii: "\n") { contents.removeLast() }
        if contents.last == UInt8(ascii: "\r") { contents.removeLast() }
        guard !contents.isEmpty else { throw .empty(path: path) }
        return contents
    }
}
