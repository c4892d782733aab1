import Foundation
import VerbundTrust
@testable import VerbundFederation

/// A federation in a unique temporary folder, made through the admin API, for tests that run in parallel.
struct TestFederation {
    let folder: FederationFolder
    let admin: FederationAdministration
    let scratch: String

    init(id: String = "thueringen", name: String = "Stadtverbund Thüringen", now: Date = Date()) throws {
        scratch = try TemporaryFolder.make()
        folder = FederationFolder(path: scratch + "/federation")
        admin = try FederationAdministration.create(in: folder, id: id, name: name, now: now)
    }

    /// Reopens the folder, as the next CLI invocation would.
    func reopen(now: Date = Date()) throws -> FederationAdministration { try FederationAdministration(folder: folder, now: now) }

    /// A P-256 key and a CSR for it.
    static func csr(name: String, uris: [String] = []) throws -> (PrivateKey, CertificateSigningRequest) {
        let key = try PrivateKey.generateP256()
        return (key, try CertificateSigningRequest(commonName: name, subjectAltNameURIs: uris, key: key))
    }

    /// Admits a member with a fresh key; returns its certificate.
    @discardableResult
    func admit(_ id: String, now: Date = Date(), days: Int = 365) throws -> Certificate {
        let (_, csr) = try Self.csr(name: "Stadt \(id)")
        let request = AdmissionRequest(memberId: id, endpoint: "https://\(id).example/dsp", days: days)
        return try reopen(now: now).admit(csr: csr, request, now: now).certificate
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    var root: Certificate { get throws { try Certificate(pem: try text(folder.rootCertificate)) } }
    var crl: CertificateRevocationList { get throws { try CertificateRevocationList(pem: try text(folder.crl)) } }
    var registryText: String { get throws { try text(folder.registry) } }

    func trust(policy: StaleCRLPolicy = .warn, now: Date = Date()) throws -> FederationTrust {
        try FederationTrust(rootFile: folder.rootCertificate, registryFile: folder.registry, crlFile: folder.crl,
                            staleCRLPolicy: policy, now: now)
    }

    func remove() { try? FileManager.default.removeItem(atPath: scratch) }
}

enum TemporaryFolder {
    static func make() throws -> String {
        let path = NSTemporaryDirectory() + "verbund-federation-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs a program (openssl) and returns its exit status and combined output.
enum Program {
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
