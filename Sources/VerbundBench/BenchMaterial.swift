import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VerbundTrust

/// Throw-away trust material and payload files for one benchmark run, in a fresh temp directory.
///
/// A P-256 root CA issues one server and one client certificate (connector profile, so both carry
/// serverAuth + clientAuth), written as PEM so `openssl s_server` can use the same files as Verbund.
/// `remove()` deletes the directory with everything in it.
struct BenchMaterial {
    let directory: String
    var rootFile: String { directory + "/root.pem" }
    var serverCertificateFile: String { directory + "/server.pem" }
    var serverKeyFile: String { directory + "/server.key" }
    var clientCertificateFile: String { directory + "/client.pem" }
    var clientKeyFile: String { directory + "/client.key" }
    var revocationListFile: String { directory + "/crl.pem" }
    /// Served as `/small` by Verbund and as `/small.txt` by s_server (`-WWW` serves files of its cwd).
    var smallFileName: String { "small.txt" }
    var smallFile: String { directory + "/" + smallFileName }
    /// Served as `/file` by Verbund and as `/bigfile` by s_server.
    var bigFileName: String { "bigfile" }
    var bigFile: String { directory + "/" + bigFileName }
    static let smallContent = Array("verbund-bench ok\n".utf8)
    /// The client's participant id; the Verbund server admits exactly this prefix.
    static let participantPrefix = "urn:verbund:bench:"

    /// Creates the directory under `parent` (default: `$TMPDIR` or /tmp) and the certificates.
    static func create(under parent: String?) throws -> BenchMaterial {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((base + "/verbund-bench.XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else {
            throw BenchError.setup("cannot create a temp directory under \(base): \(String(cString: strerror(errno)))")
        }
        let material = BenchMaterial(directory: String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        do {
            try material.writeCertificates()
            try write(smallContent, to: material.smallFile)
        } catch {
            material.remove()
            throw error
        }
        return material
    }

    private func writeCertificates() throws {
        let rootKey = try PrivateKey.generateP256()
        let root = try CertificateAuthority.selfSignedRoot(name: "verbund-bench root (throw-away)", key: rootKey, days: 2)
        try Self.write(Array(root.certificate.pem.utf8), to: rootFile)
        try issue(by: root, commonName: "bench-server", uri: Self.participantPrefix + "server",
                  certificateFile: serverCertificateFile, keyFile: serverKeyFile)
        try issue(by: root, commonName: "bench-client", uri: Self.participantPrefix + "client",
                  certificateFile: clientCertificateFile, keyFile: clientKeyFile)
        let list = try root.revocationList(revoked: [], number: 1, nextUpdate: Date().addingTimeInterval(86_400))
        try Self.write(Array(list.pem.utf8), to: revocationListFile)
    }

    private func issue(by root: CertificateAuthority, commonName: String, uri: String,
                       certificateFile: String, keyFile: String) throws {
        let key = try PrivateKey.generateP256()
        let request = try CertificateSigningRequest(commonName: commonName, key: key)
        let certificate = try root.issue(csr: request, subjectAltNameURIs: [uri], dnsNames: ["localhost"], days: 2)
        try key.write(toFile: keyFile)
        try Self.write(Array(certificate.pem.utf8), to: certificateFile)
    }

    /// Writes the bulk file: `mebibytes` MiB of pseudo-random bytes (TLS does not compress, but random
    /// content keeps any layer from taking a shortcut), or a sparse file of zeros when `sparse`.
    func createBigFile(mebibytes: Int, sparse: Bool) throws {
        let size = off_t(mebibytes) << 20
        let fd = open(bigFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(0o644))
        guard fd >= 0 else { throw BenchError.setup("cannot create \(bigFile): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if sparse {
            guard ftruncate(fd, size) == 0 else {
                throw BenchError.setup("cannot size \(bigFile): \(String(cString: strerror(errno)))")
            }
            return
        }
        // One random MiB, each further MiB xor-ed with a different word: cheap to make, never a repeat.
        var generator = SystemRandomNumberGenerator()
        let words = (1 << 20) / 8
        let seed = (0..<words).map { _ in generator.next() as UInt64 }
        var block = [UInt64](repeating: 0, count: words)
        for _ in 0..<mebibytes {
            let salt = generator.next() as UInt64
            for word in 0..<words { block[word] = seed[word] ^ salt }
            try block.withUnsafeBytes { try Self.writeAll(fd, $0, path: bigFile) }
        }
        // Write back now: otherwise the kernel flushes the dirty pages during the first runs and
        // steals CPU and I/O from whichever server happens to be measured then.
        guard fsync(fd) == 0 else { throw BenchError.setup("cannot sync \(bigFile): \(String(cString: strerror(errno)))") }
    }

    /// Deletes the directory and its files.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(0o644))
        guard fd >= 0 else { throw BenchError.setup("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw BenchError.setup("writing \(path) failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}
