import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VerbundTransport
import VerbundTrust

/// The file a pull or push download writes: opened to start over (truncate) or to continue (append). Transport's
/// `WritableFile` owns the descriptor; this names its failures as a `DownloadError` for the person running the
/// download. `sync` makes the bytes durable so a resumed download never trusts bytes still in the cache.
package final class DownloadFile {
    private let file: WritableFile

    var path: String { file.path }

    init(path: String, append: Bool) throws {
        // Transport's text names the call, the path and errno ("open /x for writing failed: …").
        do { file = try WritableFile(path: path, append: append) } catch { throw DownloadError("\(error)") }
    }

    func write(_ bytes: [UInt8]) throws {
        do { try file.write(bytes) } catch { throw DownloadError("\(error)") }
    }

    func sync() throws {
        do { try file.sync() } catch { throw DownloadError("\(error)") }
    }

    /// The size of the file at `path`, 0 when there is none.
    static func size(at path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// SHA-256 (hex) of the file at `path`, read in 1 MiB pieces.
    package static func sha256(at path: String) throws -> String {
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
package struct DownloadError: Error, CustomStringConvertible, Sendable {
    package let description: String
    /// Worth running again (connection lost, provider restarting, transfer not started yet).
    package let retryable: Bool

    init(_ description: String, retryable: Bool = false) {
        self.description = description
        self.retryable = retryable
    }
}
