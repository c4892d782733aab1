#if canImport(Glibc)
import Glibc
#endif

/// A regular file opened for reading; owns its descriptor and closes it in `deinit`.
///
/// Reads use `pread`, which does not move a shared offset, so one open file may serve any range.
package final class ReadableFile: @unchecked Sendable {
    package let path: String
    package let size: Int
    /// Last modification, nanoseconds since the epoch (part of the default ETag).
    package let modificationNanoseconds: Int
    private let descriptor: Int32
    /// Runs before every read with the offset about to be read; throwing ends the read (and so a response being
    /// streamed) — e.g. a data plane that must stop serving mid-response when the right to the data ends.
    private let readGate: (@Sendable (_ offset: Int) throws -> Void)?

    package init(path: String, readGate: (@Sendable (_ offset: Int) throws -> Void)? = nil) throws {
        self.readGate = readGate
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCall.error("open \(path)") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = SystemCall.error("fstat \(path)")
            Glibc.close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(fd)
            throw TransportError.system(call: "open \(path)", errno: EISDIR, message: "not a regular file")
        }
        self.path = path
        self.descriptor = fd
        self.size = Int(info.st_size)
        self.modificationNanoseconds = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
    }

    deinit { Glibc.close(descriptor) }

    /// A strong validator from size and modification time; callers with a content digest should prefer that.
    package var defaultETag: String {
        "\"\(String(size, radix: 16))-\(String(modificationNanoseconds, radix: 16))\""
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        try readGate?(offset)
        while true {
            let n = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw SystemCall.error("pread \(path)")
        }
    }
}
