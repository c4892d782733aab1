import Foundation
@testable import VerbundTrust

/// A unique temporary directory per test, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/verbund-trust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: false, encoding: .utf8)
        return target
    }
}

/// Result of running the `openssl` command line tool.
struct CommandResult {
    var status: Int32
    var output: String
}

/// Runs `/usr/bin/openssl` with `arguments` in `directory`, capturing stdout and stderr together.
func openssl(_ arguments: [String], in directory: String) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}

/// File mode bits of `path`.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A federation root and helpers to issue member certificates, generated fresh per test.
struct TestPKI {
    let authority: CertificateAuthority

    init(name: String = "Verbund Test Root", now: Date = Date()) throws {
        authority = try CertificateAuthority.selfSignedRoot(name: name, organization: "Verbund Test", key: PrivateKey.generateP256(),
                                                            days: 365, now: now)
    }

    var root: Certificate { authority.certificate }

    /// Issues a connector certificate for a new key; returns both.
    func member(_ id: String, days: Int = 30, now: Date = Date(),
                profile: CertificateProfile = .connector) throws -> (certificate: Certificate, key: PrivateKey) {
        let key = try PrivateKey.generateP256()
        let csr = try CertificateSigningRequest(commonName: id, subjectAltNameURIs: ["urn:verbund:test:\(id)"], key: key)
        let certificate = try authority.issue(csr: csr, subjectAltNameURIs: ["urn:verbund:test:\(id)"], days: days, now: now,
                                              profile: profile)
        return (certificate, key)
    }
}
