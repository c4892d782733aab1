import Foundation

/// The bearer token of the management API: 32 random bytes as 64 hex digits in `<data>/management.token`, mode 0600,
/// created on first start. The CLI (running as the same user) reads it; nobody else can.
package struct ManagementToken: Sendable {
    package static let fileName = "management.token"

    package let value: String

    package init(value: String) {
        self.value = value
    }

    /// Why the token file cannot be used.
    package struct FileError: Error, Sendable, CustomStringConvertible {
        package let path: String
        package let reason: String
        package var description: String { "management token \(path): \(reason)" }
    }

    package static func path(inDataDirectory folder: String) -> String { folder + "/" + fileName }

    /// Reads the token, creating it (exclusively, mode 0600) when absent. Refuses a file others can read.
    package static func loadOrCreate(dataDirectory folder: String) throws(FileError) -> ManagementToken {
        let path = path(inDataDirectory: folder)
        if let existing = try read(path) { return existing }
        var generator = SystemRandomNumberGenerator()  // getrandom(2): a CSPRNG on Linux
        let hex = (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        if fd < 0 {
            // Another process created it between our read and open: use theirs.
            if errno == EEXIST, let raced = try read(path) { return raced }
            throw FileError(path: path, reason: "cannot create it: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array((hex + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw FileError(path: path, reason: "cannot write it: \(reason)")
        }
        return ManagementToken(value: hex)
    }

    /// Reads an existing token file (nil when there is none).
    package static func read(_ path: String) throws(FileError) -> ManagementToken? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw FileError(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & 0o077 == 0 else {
            throw FileError(path: path, reason: "mode \(String(info.st_mode & 0o777, radix: 8)) lets others read it; run chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(path: path, reason: "cannot read it (permission?)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= 32, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw FileError(path: path, reason: "it holds no usable token; delete it and restart verbund to create a new one")
        }
        return ManagementToken(value: text)
    }

    /// Checks an `Authorization` field value (`Bearer <token>`, RFC 6750 §2.1) in time independent of where it differs.
    package func authorizes(_ authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return Self.constantTimeEquals(Array(parts[1].utf8), Array(value.utf8))
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
