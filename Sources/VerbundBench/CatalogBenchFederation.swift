import Foundation
import VerbundConnector
import VerbundFederation
import VerbundTransport

/// A throw-away two-member federation in a temp folder for the catalog benchmark: a provider and a consumer
/// connector running in this process on loopback, with real certificates and mTLS between them.
final class CatalogBenchFederation {
    let folder: String
    let provider: Connector
    let consumer: Connector

    init(crawls: Bool = false) throws {
        var template = Array((NSTemporaryDirectory() + "/verbund-bench-catalog-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BenchError.setup("cannot create a temp folder: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        let admin = FederationFolder(path: folder + "/admin")
        try FederationAdministration.create(in: admin, id: "bench", name: "Benchmark federation")
        var configurations: [String: ConnectorConfiguration] = [:]
        for id in ["provider", "consumer"] {
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
        let options = ConnectorOptions(logger: StructuredLogger(minimumLevel: .error))
        provider = try Connector.start(configuration: configurations["provider"]!, modules: [CatalogModule(crawls: false)],
                                       options: options)
        do {
            consumer = try Connector.start(configuration: configurations["consumer"]!, modules: [CatalogModule(crawls: crawls)],
                                           options: options)
        } catch {
            provider.stop()
            throw error
        }
    }

    func stop() {
        consumer.stop()
        provider.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func freePort() throws -> UInt16 {
        let socket = try Socket.listen(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        return socket.localPort
    }
}
