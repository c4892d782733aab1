import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VerbundTrust

/// A file's copy the connector owns: `<dataDirectory>/snapshots/<sha256>`, named by its content.
package struct Snapshot: Sendable, Hashable {
    /// SHA-256 of the bytes, lowercase hex (the file's name).
    package let sha256: String
    package let size: Int64
    package let path: String
}

/// The snapshots of published files (docs/operator.md, "Files that change"). A snapshot is taken by streaming the
/// source once in 256 KiB pieces (constant memory), hashing while copying into a fresh temporary file in the same
/// directory, `fsync`ing it and renaming it to its digest (rename(2) is atomic within a file system), then `fsync`ing
/// the directory, so a crash leaves either no snapshot or a whole one. Equal contents share one file.
///
/// Taking a snapshot and recording it in the catalog, and collecting garbage, run one at a time (`exclusively`): so
/// the collector never sees a snapshot that is renamed but not yet recorded.
package final class SnapshotStore: @unchecked Sendable {
    // @unchecked: `lock` is an NSLock; the other properties are constants.
    package let directory: String
    private let lock = NSLock()

    package init(directory: String) {
        self.directory = directory
    }

    /// The store in `<dataDirectory>/snapshots`.
    package convenience init(dataDirectory: String) {
        self.init(directory: (dataDirectory as NSString).appendingPathComponent("snapshots"))
    }

    package func path(of sha256: String) -> String { (directory as NSString).appendingPathComponent(sha256) }

    /// Runs `body` while no other snapshot is taken or collected.
    package func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Copies `source` into the store (see the type's description). Refused when `protected` covers the opened file.
    package func take(from source: String, protected: ProtectedFiles? = nil) throws(CatalogPublishError) -> Snapshot {
        guard source.hasPrefix("/") else { throw .unreadableFile(path: source, reason: "the path is not absolute") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw .unreadableFile(path: source, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadableFile(path: source, reason: "it is a directory") }
        // A FIFO or device would block the open or never end; only regular files are published.
        guard Self.isRegularFile(path: source) else {
            throw .unreadableFile(path: source, reason: "it is not a regular file (a device, pipe or socket)")
        }
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw .unreadableFile(path: source, reason: "permission denied")
        }
        defer { try? input.close() }
        // Checked on the opened descriptor, so a symlink swapped in after a path check cannot slip through.
        if let reason = protected?.refusal(descriptor: input.fileDescriptor, path: source) {
            throw .protectedFile(path: source, reason: reason)
        }
        guard Self.isRegularFile(descriptor: input.fileDescriptor) else {
            throw .unreadableFile(path: source, reason: "it is not a regular file (a device, pipe or socket)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unreadableFile(path: source, reason: "cannot create the snapshot folder \(directory): \(error.localizedDescription)")
        }
        let temporary = (directory as NSString).appendingPathComponent(".incoming-" + UUID().uuidString.lowercased())
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: temporary) else {
            throw .unreadableFile(path: source, reason: "cannot write a snapshot into \(directory) (disk full or no permission?)")
        }
        var stream = SHA256Stream()
        var size: Int64 = 0
        do {
            defer { try? output.close() }
            while let piece = try input.read(upToCount: 256 * 1024), !piece.isEmpty {
                stream.update(piece)
                try output.write(contentsOf: piece)
                size += Int64(piece.count)
            }
            try output.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .unreadableFile(path: source, reason: "copying it into the snapshot folder failed: \(error.localizedDescription)")
        }
        let sha256 = Hex.encode(stream.finalize())
        let final = path(of: sha256)
        if FileManager.default.fileExists(atPath: final) {
            try? FileManager.default.removeItem(atPath: temporary)  // the same bytes are there already
        } else if rename(temporary, final) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .unreadableFile(path: source, reason: "storing the snapshot failed: \(reason)")
        }
        syncDirectory()
        return Snapshot(sha256: sha256, size: size, path: final)
    }

    /// Deletes every snapshot whose digest is not in `keep`, and leftovers of interrupted copies; returns the digests
    /// removed. Call inside `exclusively`, with `keep` read after the lock was taken.
    package func collect(keeping keep: Set<String>) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            if name.hasPrefix(".incoming-") {
                try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
                continue
            }
            guard Self.isDigest(name), !keep.contains(name) else { continue }
            if (try? FileManager.default.removeItem(atPath: path(of: name))) != nil { removed.append(name) }
        }
        if !removed.isEmpty { syncDirectory() }
        return removed
    }

    /// The digests stored now.
    package func digests() -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter(Self.isDigest))
    }

    static func isDigest(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func isRegularFile(path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private static func isRegularFile(descriptor: Int32) -> Bool {
        var info = stat()
        return fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
