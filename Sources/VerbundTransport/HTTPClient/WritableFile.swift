#if canImport(Glibc)
import Glibc
#endif

/// A file opened for writing downloads; owns its descriptor and closes it in `deinit`. Shared by the HTTP client's
/// `download` and the connector's pull and push transfers, so there is one write loop (partial writes, `EINTR`).
package final class WritableFile {
    package let path: String
    private let descriptor: Int32

    /// Creates or truncates the file, or appends to it (resuming a download).
    package init(path: String, append: Bool) throws {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw SystemCall.error("open \(path) for writing") }
        self.path = path
        self.descriptor = fd
    }

    deinit { Glibc.close(descriptor) }

    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n; continue }
                if n < 0 && errno == EINTR { continue }
                throw SystemCall.error("write \(path)")
            }
        }
    }

    /// Flushes to stable storage so a completed download survives a crash.
    package func sync() throws {
        guard fsync(descriptor) == 0 else { throw SystemCall.error("fsync \(path)") }
    }
}
