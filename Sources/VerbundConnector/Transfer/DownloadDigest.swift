import Foundation
import VerbundTrust

/// The sha-256 of a download computed while it arrives, so a finished download needs no second pass over the file. A
/// resumed download first hashes the bytes already on disk.
final class DownloadDigest {
    private var stream: SHA256Stream? = SHA256Stream()

    /// Starts with the first `length` bytes of the file at `path` (a resume).
    init(prefixOf path: String, length: Int) throws {
        guard length > 0 else { return }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DownloadError("cannot read \(path)") }
        defer { try? handle.close() }
        var remaining = length
        while remaining > 0 {
            let piece = try handle.read(upToCount: min(remaining, 1 << 20)) ?? Data()
            guard !piece.isEmpty else { throw DownloadError("\(path) is shorter than the \(length) bytes it had") }
            update(Array(piece))
            remaining -= piece.count
        }
    }

    func update(_ bytes: [UInt8]) {
        guard var running = stream.take() else { return }
        running.update(bytes)
        stream = consume running
    }

    /// The hex digest; the digest cannot be used afterwards.
    func finish() -> String? {
        guard let running = stream.take() else { return nil }
        return Hex.encode(running.finalize())
    }
}
