import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Private key files: created owner-only with no window of wider permissions, and read only if owner-only.
package enum KeyFile {
    /// Creates `path` exclusively with mode 0600 and writes `contents`; on failure the partial file is removed.
    static func createOwnerOnly(_ path: String, contents: [UInt8]) throws {
        // O_EXCL: never follow a planted symlink or reuse a file with looser permissions.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw fileError("creating", path) }
        var success = false
        defer {
            close(fd)
            if !success { unlink(path) }
        }
        // The umask can only narrow 0600, but make the mode exact before any byte is written.
        guard fchmod(fd, mode_t(0o600)) == 0 else { throw fileError("setting mode 0600 on", path) }
        var offset = 0
        while offset < contents.count {
            let written = contents[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw fileError("writing", path)
            }
            offset += written
        }
        guard fsync(fd) == 0 else { throw fileError("syncing", path) }
        success = true
    }

    /// Reads `path` after checking (on the open descriptor, so no race) that group and others have no access.
    package static func readOwnerOnly(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fileError("opening", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fileError("inspecting", path) }
        guard info.st_mode & 0o077 == 0 else { throw TrustError.insecureKeyFile(path: path, mode: UInt32(info.st_mode)) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fileError("reading", path)
            }
            if count == 0 { break }
            contents.append(contentsOf: buffer[0..<count])
            guard contents.count <= 1 << 20 else {
                throw TrustError.malformed(what: "private key file \(path)", reason: "larger than 1 MiB")
            }
        }
        return contents
    }

    private static func fileError(_ operation: String, _ path: String) -> TrustError {
        .file(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}
