import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe replacement of a file in the admin folder: write a temporary file in the same folder, fsync it,
/// rename it over the target (atomic within one file system, POSIX rename(2)), then fsync the folder so the
/// rename itself survives a power cut. A reader sees the old file or the new one, never a torn one.
package enum AtomicFile {
    /// Writes `contents` to `path` with `mode`. With `exclusive`, refuses if `path` already exists.
    package static func write(_ contents: [UInt8], to path: String, mode: mode_t = 0o644, exclusive: Bool = false) throws(AdminError) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .file(operation: "creating", path: temporary, reason: errnoText()) }
        var keep = false
        defer {
            if !keep { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            // The umask may have narrowed the mode; set it exactly before any byte lands.
            guard fchmod(fd, mode) == 0 else { throw AdminError.file(operation: "setting the mode of", path: temporary, reason: errnoText()) }
            var offset = 0
            while offset < contents.count {
                let written = contents[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AdminError.file(operation: "writing", path: temporary, reason: errnoText())
                }
                offset += written
            }
            guard fsync(fd) == 0 else { throw AdminError.file(operation: "syncing", path: temporary, reason: errnoText()) }
        } catch let error as AdminError {
            throw error
        } catch {
            throw .file(operation: "writing", path: temporary, reason: "\(error)")
        }
        if exclusive {
            // link(2) fails if the target exists, so two admins cannot both create the same file.
            guard link(temporary, path) == 0 else {
                let reason = errno == EEXIST ? "it already exists" : errnoText()
                throw .file(operation: "creating", path: path, reason: reason)
            }
        } else {
            guard rename(temporary, path) == 0 else { throw .file(operation: "replacing", path: path, reason: errnoText()) }
            keep = true
        }
        syncFolder(folder.isEmpty ? "." : folder)
    }

    package static func write(_ text: String, to path: String, mode: mode_t = 0o644, exclusive: Bool = false) throws(AdminError) {
        try write(Array(text.utf8), to: path, mode: mode, exclusive: exclusive)
    }

    /// Best effort: a folder that cannot be opened for fsync (some file systems) still got the rename.
    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
