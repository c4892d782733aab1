import Foundation
@testable import VerbundConnector
import VerbundStore
import VerbundFederation
import VerbundHTTP
import VerbundTransport
import VerbundTrust

/// A whole federation in a unique temp folder, made through the real admin operations: a federation admin folder,
/// and per member a city folder with its key (0600), the certificate the admin issued, its *own copy* of the
/// federation's public files (so a test can hand a new registry to some members only) and a `connector.json`
/// listening on a free loopback port. `start` runs a member's `Connector` in-process.
///
/// Other modules' tests reuse it: `try FederationFixture(members: ["a", "b"])`, then `fixture.start("a", modules: […])`.
final class FederationFixture: Sendable {
    struct MemberFiles: Sendable {
        let id: String
        let folder: String
        let configurationFile: String
        let dspPort: UInt16
        var endpoint: String { "https://127.0.0.1:\(dspPort)/dsp" }
        var keyFile: String { folder + "/member.key" }
        var certificateFile: String { folder + "/member.pem" }
        var federationFolder: String { folder + "/federation" }
    }

    let root: TemporaryFolder
    let federationId: String
    let adminFolder: FederationFolder
    let members: [String: MemberFiles]

    /// Creates the federation and admits `ids` (each `provider` and `consumer`), in that order; `ags` gives members
    /// their municipality key. The members in `opensslMembers` make their key and CSR with the `openssl` command
    /// instead of Verbund (a peer whose certificate owes nothing to Verbund's own enrollment code).
    init(members ids: [String], federationId: String = "testfed", pollSeconds: Double = 0.05, ags: [String: String] = [:],
         opensslMembers: Set<String> = []) throws {
        root = TemporaryFolder("verbund-federation")
        self.federationId = federationId
        adminFolder = FederationFolder(path: root.path + "/admin")
        try FederationAdministration.create(in: adminFolder, id: federationId, name: "Testverbund \(federationId)")
        var made: [String: MemberFiles] = [:]
        for id in ids {
            let folder = root.path + "/" + id
            let port = try Self.freePort()
            let files = MemberFiles(id: id, folder: folder, configurationFile: folder + "/connector.json", dspPort: port)
            let csr = opensslMembers.contains(id)
                ? try Self.opensslEnrollment(in: folder, name: "Stadt \(id)")
                : try MemberEnrollment.create(in: folder, memberId: id, name: "Stadt \(id)", ags: nil, federationId: federationId).csr
            let issued = try FederationAdministration(folder: adminFolder)
                .admit(csr: csr, AdmissionRequest(memberId: id, ags: ags[id], endpoint: files.endpoint))
            try AtomicFile.write(issued.certificate.pem, to: files.certificateFile)
            made[id] = files
        }
        members = made
        for files in made.values {
            try FileManager.default.createDirectory(atPath: files.federationFolder, withIntermediateDirectories: true)
            try publish(to: [files.id])
            let configuration = ConnectorConfiguration(
                memberId: files.id, participantId: "urn:verbund:\(federationId):\(files.id)",
                federation: .init(root: "federation/root.pem", registry: "federation/registry.jws", crl: "federation/crl.pem"),
                keyFile: "member.key", certificateFile: "member.pem", listen: "127.0.0.1:\(files.dspPort)",
                endpoint: files.endpoint, management: "127.0.0.1:0", dataDirectory: "data", federationPollSeconds: pollSeconds)
            try AtomicFile.write(try configuration.encoded(), to: files.configurationFile)
        }
    }

    /// `openssl req`: an EC P-256 key (`member.key`, PKCS #8, 0600) and a CSR with only a CN.
    static func opensslEnrollment(in folder: String, name: String) throws -> CertificateSigningRequest {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                             "-keyout", folder + "/member.key", "-out", folder + "/member.csr", "-subj", "/CN=" + name]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("openssl req failed (\(process.terminationStatus))") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/member.key")
        return try CertificateSigningRequest(pem: try String(contentsOfFile: folder + "/member.csr", encoding: .utf8))
    }

    /// The admin as of the files now (each operation publishes a new registry, so make a fresh one per operation).
    func admin() throws -> FederationAdministration {
        try FederationAdministration(folder: adminFolder)
    }

    /// Copies the admin's current public files into the given members' federation folders — the CRL before the
    /// registry, as the admin publishes them, so a connector polling in between never holds a registry without its CRL.
    func publish(to ids: [String]) throws {
        for id in ids {
            guard let files = members[id] else { continue }
            for (source, name) in [(adminFolder.rootCertificate, "root.pem"), (adminFolder.crl, "crl.pem"),
                                   (adminFolder.registry, "registry.jws")] {
                let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: source)))
                try AtomicFile.write(bytes, to: files.federationFolder + "/" + name)
            }
        }
    }

    /// A member's configuration with paths resolved (as `verbund serve` reads it).
    func configuration(_ id: String) throws -> ConnectorConfiguration {
        guard let files = members[id] else { throw FixtureError("no member \(id)") }
        return try ConnectorConfiguration.load(from: files.configurationFile)
    }

    /// Starts member `id`'s connector in-process with a log capture.
    func start(_ id: String, modules: [any ConnectorModule] = [], adjust: (inout ConnectorConfiguration) -> Void = { _ in },
               options: (inout ConnectorOptions) -> Void = { _ in }) throws -> RunningConnector {
        var configuration = try configuration(id)
        adjust(&configuration)
        let capture = LogCapture(id)
        var settings = ConnectorOptions(logger: capture.logger, stopGrace: .seconds(2))
        settings.outbox.backoff = .init(base: .milliseconds(50), cap: .seconds(1))
        options(&settings)
        let connector = try Connector.start(configuration: configuration, modules: modules, options: settings)
        return RunningConnector(connector: connector, log: capture)
    }

    /// A context for member `id` without listeners or background threads, for testing a module's logic directly:
    /// the member's identity, its federation trust and a fresh state database migrated for `modules`.
    func context(_ id: String, modules: [any ConnectorModule] = [], clock: @escaping @Sendable () -> Date = Date.init,
                 log: LogCapture = LogCapture()) throws -> ConnectorContext {
        let configuration = try configuration(id)
        let identity = try ConnectorIdentity.load(configuration, now: clock())
        let files = configuration.federation
        let trust = try FederationTrust(rootFile: files.root, registryFile: files.registry, crlFile: files.crl, now: clock())
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let database = try Database(path: configuration.dataDirectory + "/context-\(UUID().uuidString).sqlite")
        try ConnectorSchema.migrate(database, modules: [CoreModule()] + modules, now: clock())
        return try ConnectorContext(configuration: configuration, identity: identity, database: database, trust: trust,
                                    clock: clock, logger: log.logger)
    }

    /// A loopback port for a connector that starts later.
    ///
    /// Ports come from below the kernel's ephemeral range (32768–60999), so the many outgoing
    /// connections of parallel tests never take a port a fixture handed out but has not bound yet;
    /// a process-wide counter keeps parallel fixtures apart, and a bind check skips ports in use.
    static func freePort() throws -> UInt16 {
        for _ in 0..<2_000 {
            let port = PortAllocator.next()
            if let socket = try? Socket.listen(host: "127.0.0.1", port: port) {
                socket.close()
                return port
            }
        }
        throw FixtureError("no free loopback port below the ephemeral range")
    }

    /// A member's key and certificate, e.g. to act as that member with a hand-made client or server.
    func identity(_ id: String) throws -> (key: PrivateKey, chain: [Certificate]) {
        guard let files = members[id] else { throw FixtureError("no member \(id)") }
        return (try PrivateKey(pemFile: files.keyFile), try Certificate.all(pemFile: files.certificateFile))
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A started connector and what it logged; `stop()` when done (also on failure paths, via `defer`).
struct RunningConnector: Sendable {
    let connector: Connector
    let log: LogCapture

    var context: ConnectorContext { connector.context }
    func stop() { connector.stop() }

    /// Sends a management request over plain TCP (with the token unless `authorized` is false).
    func management(_ path: String, method: HTTPMethod = .get, authorized: Bool = true) throws -> HTTPClientResponse {
        var headers = HTTPHeaders()
        if authorized { headers.set("Authorization", "Bearer \(connector.managementToken.value)") }
        let client = HTTPClient()
        return try client.send(HTTPClientRequest(method: method, host: "127.0.0.1", port: connector.managementPort,
                                                 target: path, headers: headers))
    }
}
