import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (flock(2)) on the admin folder for the duration of one admin command, so two
/// commands run at once cannot both sign "the next" registry from the same serial. Released when deinitialized.
package final class AdminFolderLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock or fails at once, naming the folder.
    package init(folder: FederationFolder) throws(AdminError) {
        let path = folder.path + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .file(operation: "opening the lock file", path: path, reason: AtomicFile.errnoText()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = AtomicFile.errnoText()
            close(fd)
            if busy {
                throw .statusConflict("another admin command is working on \(folder.path); wait for it to finish and try again")
            }
            throw .file(operation: "locking", path: path, reason: reason)
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
