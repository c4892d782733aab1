import Glibc

/// Identity of a file version as `stat(2)` sees it (inode, size, mtime): the federation sync re-reads a file only when
/// this changes. Replacing a file atomically (rename) changes the inode, so that is noticed within the same second too.
struct FileStamp: Equatable, Sendable {
    let inode: UInt64
    let size: Int64
    let seconds: Int
    let nanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
