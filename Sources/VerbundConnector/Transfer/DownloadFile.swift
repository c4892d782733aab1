import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VerbundTrust

/// The file a pull download writes: opened to start over (truncate) or to continue (append); owns its descriptor and
/// closes it in `deinit`. `sync` makes the bytes durable so a resumed download never trusts bytes still in the cache.
final class DownloadFile {
    let path: String
    private let descriptor: Int32

    init(path: String, append: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0o600)
        guard fd >= 0 else { throw DownloadError("cannot open \(path) for writing: \(String(cString: strerror(errno)))") }
        self.path = path
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n; continue }
                if n < 0 && errno == EINTR { continue }
                throw DownloadError("writing \(path) failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    func sync() throws {
        guard fsync(descriptor) == 0 else { throw DownloadError("fsync \(path) failed: \(String(cString: strerror(errno)))") }
    }

    /// The size of the file at `path`, 0 when there is none.
    static func size(at path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// SHA-256 (hex) of the file at `path`, read in 1 MiB pieces.
    static func sha256(at path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DownloadError("cannot read \(path)") }
        defer { try? handle.close() }
        var digest = SHA256Stream()
        while true {
            let piece = try handle.read(upToCount: 1 << 20) ?? Data()
            if piece.isEmpty { break }
            piece.withUnsafeBytes { digest.update($0) }
        }
        return Hex.encode(digest.finalize())
    }
}

/// Why a download did not end with a verified file, for the person running it.
public struct DownloadError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// Worth running again (connection lost, provider restarting, transfer not started yet).
    public let retryable: Bool

    init(_ description: String, retryable: Bool = false) {
        self.description = description
        self.retryable = retryable
    }
}
