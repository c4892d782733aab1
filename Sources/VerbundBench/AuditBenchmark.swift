import Foundation
import Synchronization
import VerbundAudit
import VerbundCLI
import VerbundConnector
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// `verbund-bench audit`: how fast the connector's log takes entries when a tree head is signed after every batch,
/// and how long `verbund audit verify` needs for an evidence bundle cut from a large log (docs/performance.md).
struct AuditBenchmark {
    var appends = 5000
    var entries = 100_000
    var verifications = 20
    var workdir: String?

    init(arguments: ArraySlice<String>) throws {
        var rest = arguments
        while let option = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError.usage("\(option) needs a value") }
            switch option {
            case "--appends": appends = try Self.number(value, option)
            case "--entries": entries = try Self.number(value, option)
            case "--verifications": verifications = try Self.number(value, option)
            case "--workdir": workdir = value
            default: throw BenchError.usage("unknown option \(option) of audit")
            }
        }
    }

    private static func number(_ text: String, _ option: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw BenchError.usage("\(option) needs a positive number, not '\(text)'") }
        return value
    }

    func run() throws {
        let base = workdir ?? NSTemporaryDirectory() + "verbund-bench-audit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { if workdir == nil { try? FileManager.default.removeItem(atPath: base) } }
        print("# verbund-bench audit — \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("")
        print("| batch size | appends | seconds | appends/s | signed heads/s | appends/s without signing |")
        print("|---:|---:|---:|---:|---:|---:|")
        for batch in [1, 10, 100] {
            let (seconds, heads) = try measureAppends(batch: batch, sign: true, folder: base + "/appends-\(batch)")
            let (unsigned, _) = try measureAppends(batch: batch, sign: false, folder: base + "/unsigned-\(batch)")
            print("| \(batch) | \(appends) | \(Self.format(seconds)) | \(Int(Double(appends) / seconds)) | \(Int(Double(heads) / seconds)) | \(Int(Double(appends) / unsigned)) |")
        }
        print("")
        try measureVerification(folder: base + "/federation")
    }

    /// Appends in batches, each batch one transaction followed (with `sign`) by a signed tree head over the whole log.
    private func measureAppends(batch: Int, sign: Bool, folder: String) throws -> (Double, Int) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try Database.openStore(path: folder + "/state.sqlite")
        defer { database.close() }
        let log = MerkleLog(database: database)
        let authority = try CertificateAuthority.selfSignedRoot(name: "Bench Root", key: PrivateKey.generateP256(), days: 2)
        let key = try PrivateKey.generateP256()
        let csr = try CertificateSigningRequest(commonName: "bench", subjectAltNameURIs: ["urn:verbund:bench:a"], key: key)
        let chain = [try authority.issue(csr: csr, subjectAltNameURIs: ["urn:verbund:bench:a"], days: 1)]
        var heads = 0
        let clock = ContinuousClock()
        let took = try clock.measure {
            var done = 0
            while done < appends {
                let count = min(batch, appends - done)
                try database.transaction { tx in
                    for index in done..<(done + count) {
                        try log.append(["kind": "transfer.completed", "at": .integer(Int64(index)),
                                        "fields": ["agreementId": .string("urn:uuid:\(index % 97)"), "bytes": .integer(Int64(index))]], in: tx)
                    }
                }
                done += count
                if sign {
                    _ = try SignedTreeHead.sign(try log.treeHead(timestamp: Date()), key: key, chain: chain)
                    heads += 1
                }
            }
        }
        return (Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18, heads)
    }

    /// A connector with a large log and one dual-signed contract; times the export and the offline verification.
    private func measureVerification(folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let admin = FederationFolder(path: folder + "/admin")
        try FederationAdministration.create(in: admin, id: "bench", name: "Bench-Verbund")
        var ports: [String: UInt16] = [:]
        for id in ["a", "b"] {
            let socket = try Socket.listen(host: "127.0.0.1", port: 0)
            ports[id] = socket.localPort
            socket.close()
            let member = folder + "/" + id
            let enrollment = try MemberEnrollment.create(in: member, memberId: id, name: "Stadt \(id)", ags: nil, federationId: "bench")
            let issued = try FederationAdministration(folder: admin)
                .admit(csr: enrollment.csr, AdmissionRequest(memberId: id, endpoint: "https://127.0.0.1:\(ports[id]!)/dsp"))
            try AtomicFile.write(issued.certificate.pem, to: member + "/member.pem")
        }
        let memberA = folder + "/a"
        for file in admin.publicFiles {
            try FileManager.default.copyItem(atPath: file, toPath: memberA + "/" + (file as NSString).lastPathComponent)
        }
        let configuration = ConnectorConfiguration(
            memberId: "a", participantId: "urn:verbund:bench:a",
            federation: .init(root: memberA + "/root.pem", registry: memberA + "/registry.jws", crl: memberA + "/crl.pem"),
            keyFile: memberA + "/member.key", certificateFile: memberA + "/member.pem", listen: "127.0.0.1:\(ports["a"]!)",
            endpoint: "https://127.0.0.1:\(ports["a"]!)/dsp", management: "127.0.0.1:0", dataDirectory: memberA + "/data")
        let contracts = BenchContracts()
        let connector = try Connector.start(configuration: configuration, modules: [AuditModule(contracts: contracts)],
                                            options: ConnectorOptions(logger: .discarding))
        defer { connector.stop() }

        let agreement = Agreement(id: "urn:uuid:bench-agreement", target: "urn:uuid:bench-dataset", assigner: "urn:verbund:bench:a",
                                  assignee: "urn:verbund:bench:b", timestamp: Date(),
                                  permission: [Rule(action: "use", constraint: [.atomic("count", "lteq", .string("3"))])])
        var jws = GeneralJWS(payload: Array(try agreement.signingPayload()))
        for id in ["a", "b"] {
            let chain = try Certificate.all(pemFile: folder + "/\(id)/member.pem")
            try jws.addSignature(header: JWSHeader(kid: chain[0].fingerprintSHA256, certificateChain: chain),
                                 key: try PrivateKey(pemFile: folder + "/\(id)/member.key"))
        }
        contracts.set(ContractRecord(agreement: agreement, role: .provider, peerMemberId: "b", providerPid: "urn:uuid:bench-p",
                                     consumerPid: "urn:uuid:bench-c", finalizedAt: Date(),
                                     contractJWS: String(decoding: try jws.json(), as: UTF8.self), purpose: nil))
        let audit = connector.context.audit
        let fill = ContinuousClock().measure {
            var index = 0
            while index < entries {
                let count = min(1000, entries - index)
                try? connector.context.database.transaction { tx in
                    for n in index..<(index + count) {
                        let agreementId = n % (entries / 10 + 1) == 0 ? agreement.id : "urn:uuid:other-\(n)"
                        try audit.record(AuditEvent(kind: n % 2 == 0 ? "transfer.completed" : "negotiation.step",
                                                    fields: ["agreementId": .string(agreementId), "bytes": .integer(Int64(n))]), in: tx)
                    }
                }
                index += count
            }
        }
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(connector.managementToken.value)")
        let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: connector.managementPort,
                                        target: "/api/contracts/\(agreement.id)/evidence", headers: headers)
        var bundle: [UInt8] = []
        let export = try ContinuousClock().measure { bundle = try HTTPClient().send(request).body }
        let root = try Certificate(pem: String(contentsOfFile: memberA + "/root.pem", encoding: .utf8))
        var ok = true
        let verify = ContinuousClock().measure {
            for _ in 0..<verifications { ok = EvidenceVerifier.verify(bundle, root: root).report.succeeded && ok }
        }
        guard ok else { throw BenchError.protocolViolation("the exported evidence bundle did not verify") }
        let entryCount = (try? CanonicalJSON.decode(bundle))?["entries"]?.arrayValue?.count ?? 0
        print("| log entries | filled in s | bundle entries | bundle bytes | export ms | verify ms (mean of \(verifications)) |")
        print("|---:|---:|---:|---:|---:|---:|")
        print("| \(entries) | \(Self.format(Self.seconds(fill))) | \(entryCount) | \(bundle.count) | \(Self.format(Self.seconds(export) * 1000)) | \(Self.format(Self.seconds(verify) * 1000 / Double(verifications))) |")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// The benchmark's one contract, in place of the negotiation module.
private final class BenchContracts: ContractLookup {
    private let record = Mutex<ContractRecord?>(nil)

    func set(_ contract: ContractRecord) { record.withLock { $0 = contract } }

    func contract(agreementId: String, in transaction: Transaction) throws -> ContractRecord? {
        record.withLock { $0?.agreement.id == agreementId ? $0 : nil }
    }

    func contracts(in transaction: Transaction) throws -> [ContractRecord] { record.withLock { $0.map { [$0] } ?? [] } }
}
