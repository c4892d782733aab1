import Foundation
import VerbundConnector
import VerbundFederation
import VerbundTransport

/// A throw-away federation in a temp folder for benchmarks: a provider and one connector per consumer id, made with
/// the real admin operations and run in this process on loopback (mTLS with real certificates).
final class BenchFederation {
    let folder: String
    private(set) var provider: Connector?
    private(set) var consumers: [Connector] = []
    private var configurations: [String: ConnectorConfiguration] = [:]
    private let consumerIds: [String]

    /// `consumer1` … `consumer<count>`, in a folder named for the negotiation benchmark.
    convenience init(consumers count: Int) throws {
        try self.init(benchmark: "negotiation", consumerIds: (1...count).map { "consumer\($0)" })
    }

    /// `benchmark` names the temp folder (`verbund-bench-<benchmark>-…`), so a folder left behind says who made it.
    init(benchmark: String, consumerIds: [String]) throws {
        var template = Array((NSTemporaryDirectory() + "/verbund-bench-\(benchmark)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BenchError.setup("cannot create a temp folder: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        self.consumerIds = consumerIds
        let admin = FederationFolder(path: folder + "/admin")
        try FederationAdministration.create(in: admin, id: "bench", name: "Benchmark federation")
        for id in ["provider"] + consumerIds {
            let memberFolder = folder + "/" + id
            let port = try Self.freePort()
            let endpoint = "https://127.0.0.1:\(port)/dsp"
            let enrollment = try MemberEnrollment.create(in: memberFolder, memberId: id, name: "Stadt \(id)", ags: "16053000",
                                                         federationId: "bench")
            let issued = try FederationAdministration(folder: admin)
                .admit(csr: enrollment.csr, AdmissionRequest(memberId: id, endpoint: endpoint))
            try AtomicFile.write(issued.certificate.pem, to: memberFolder + "/member.pem")
            configurations[id] = ConnectorConfiguration(
                memberId: id, participantId: "urn:verbund:bench:\(id)",
                federation: .init(root: admin.rootCertificate, registry: admin.registry, crl: admin.crl),
                keyFile: memberFolder + "/member.key", certificateFile: memberFolder + "/member.pem",
                listen: "127.0.0.1:\(port)", endpoint: endpoint, management: "127.0.0.1:0",
                dataDirectory: memberFolder + "/data", federationPollSeconds: 60)
        }
    }

    /// Starts the provider with `provider` and each consumer with a module from `consumer`; when one fails to start,
    /// those already running are stopped again.
    func start(provider module: any ConnectorModule, consumer: () -> any ConnectorModule) throws {
        var options = ConnectorOptions(logger: StructuredLogger(minimumLevel: .error))
        // A benchmark's consumers negotiate and transfer far faster than a member's write budget allows a city.
        options.memberWrites = MemberWriteLimits(negotiationsPerMinute: 10_000_000, transfersPerMinute: 10_000_000)
        do {
            provider = try Connector.start(configuration: configurations["provider"]!, modules: [module], options: options)
            for id in consumerIds {
                consumers.append(try Connector.start(configuration: configurations[id]!, modules: [consumer()], options: options))
            }
        } catch {
            stopConnectors()
            throw error
        }
    }

    func stop() {
        stopConnectors()
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func stopConnectors() {
        for connector in consumers { connector.stop() }
        consumers = []
        provider?.stop()
        provider = nil
    }

    private static func freePort() throws -> UInt16 {
        let socket = try Socket.listen(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        return socket.localPort
    }
}
