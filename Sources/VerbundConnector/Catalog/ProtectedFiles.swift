import Foundation

/// Files the daemon must never hand out as a dataset: everything inside its data directory (database and its WAL,
/// management token, federation copies, logs) and its member key wherever it lives. A publication is checked against
/// the file it actually opened: its real path (symlinks and `..` resolved, `/proc/self/fd`) and its device and inode
/// (so a hard link to the key elsewhere is caught too).
package struct ProtectedFiles: Sendable {
    /// Real paths of protected directories; everything below them is protected.
    let directories: [String]
    /// Real paths of protected files outside those directories, for the message.
    let files: [String]
    /// Device and inode of each protected file, so another name for the same file is refused too.
    let identities: [FileIdentity]

    package struct FileIdentity: Sendable, Equatable {
        let device: UInt64
        let inode: UInt64
    }

    package init(dataDirectory: String, secretFiles: [String]) {
        directories = [Self.realPath(dataDirectory) ?? dataDirectory]
        files = secretFiles.map { Self.realPath($0) ?? $0 }
        identities = secretFiles.compactMap { path in
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }

    /// The connector's own: its data directory (database, token, …) and the member key and database by name.
    package init(configuration: ConnectorConfiguration) {
        let data = configuration.dataDirectory
        self.init(dataDirectory: data, secretFiles: [
            configuration.keyFile, data + "/" + Connector.databaseFileName, data + "/" + Connector.databaseFileName + "-wal",
            ManagementToken.path(inDataDirectory: data),
        ])
    }

    /// Why the open file `descriptor` (opened as `path`) must not be published, or nil when it may be.
    package func refusal(descriptor: Int32, path: String) -> String? {
        var info = stat()
        if fstat(descriptor, &info) == 0,
           identities.contains(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))) {
            return "it is one of the connector's own secrets (member key, management token or database)"
        }
        let real = Self.realPath(ofDescriptor: descriptor) ?? Self.realPath(path) ?? path
        if files.contains(real) {
            return "it is the connector's member key (\(real))"
        }
        for directory in directories where real == directory || real.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/") {
            return "it lies inside the connector's data directory \(directory) (resolved to \(real)), which holds the "
                + "database, the management token and other private state"
        }
        return nil
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The path the kernel opened, whatever links led there.
    static func realPath(ofDescriptor descriptor: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
