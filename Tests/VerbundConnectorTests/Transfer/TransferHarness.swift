import Foundation
import Testing
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// A provider `p` and a consumer `c` (plus `x`, a third member) on loopback, with a dataset file at the provider and
/// contracts the test makes between them.
final class TransferHarness: @unchecked Sendable {
    let federation: FederationFixture
    let folder = TemporaryFolder("verbund-transfer")
    let datasetId = "urn:uuid:" + UUID().uuidString.lowercased()
    let datasetPath: String
    let datasetSHA256: String
    let datasetSize: Int
    let contracts: [String: StaticContracts]
    let files: DatasetFileList
    var running: [String: RunningConnector] = [:]
    let dataRecheck: Duration
    let rate: Int?

    /// - Parameters:
    ///   - size: bytes of the dataset; large ones are sparse with a few random blocks (fast to make).
    ///   - rate: the provider's bandwidth cap per response (slow downloads to interrupt).
    ///   - federation: an existing one (e.g. a negotiation testbed's), else a new one with `members`.
    init(size: Int, members: [String] = ["p", "c"], dataRecheck: Duration = .milliseconds(200), rate: Int? = nil,
         federation: FederationFixture? = nil) throws {
        self.rate = rate
        self.federation = try federation ?? FederationFixture(members: members)
        datasetPath = folder.file("dataset.bin")
        datasetSize = size
        _ = FileManager.default.createFile(atPath: datasetPath, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: datasetPath))
        try handle.truncate(atOffset: UInt64(size))
        for offset in [0, size / 2, max(0, size - 4096)] where size > 0 {
            try handle.seek(toOffset: UInt64(offset))
            handle.write(Data((0..<min(4096, size - offset)).map { _ in UInt8.random(in: 0...255) }))
        }
        try handle.close()
        datasetSHA256 = try DownloadFile.sha256(at: datasetPath)
        files = DatasetFileList([datasetId: DatasetFile(path: datasetPath, sha256: datasetSHA256, mediaType: "text/csv")])
        contracts = Dictionary(uniqueKeysWithValues: members.map { ($0, StaticContracts()) })
        self.dataRecheck = dataRecheck
    }

    func participant(_ id: String) -> String { "urn:verbund:\(federation.federationId):\(id)" }

    /// A finalized contract: `provider` assigns `datasetId` to `consumer` under `constraints`; both sides know it.
    @discardableResult
    func contract(_ constraints: [Constraint] = [], provider: String = "p", consumer: String = "c",
                  agreedAt: Date = Date()) -> String {
        let id = "urn:uuid:" + UUID().uuidString.lowercased()
        let agreement = Agreement(id: id, target: datasetId, assigner: participant(provider), assignee: participant(consumer),
                                  timestamp: agreedAt, permission: [Rule(action: "use", constraint: constraints)])
        let pids = ("urn:uuid:" + UUID().uuidString.lowercased(), "urn:uuid:" + UUID().uuidString.lowercased())
        contracts[provider]?.add(ContractRecord(agreement: agreement, role: .provider, peerMemberId: consumer,
                                                providerPid: pids.0, consumerPid: pids.1, finalizedAt: agreedAt,
                                                contractJWS: nil, purpose: nil))
        contracts[consumer]?.add(ContractRecord(agreement: agreement, role: .consumer, peerMemberId: provider,
                                                providerPid: pids.0, consumerPid: pids.1, finalizedAt: agreedAt,
                                                contractJWS: nil, purpose: nil))
        return id
    }

    func module(_ id: String) -> TransferModule {
        TransferModule(contracts: contracts[id] ?? StaticContracts(), files: id == "p" ? files : DatasetFileList([:]),
                       dataRecheck: dataRecheck, maxBytesPerSecond: rate)
    }

    @discardableResult
    func start(_ id: String) throws -> RunningConnector {
        let connector = try federation.start(id, modules: [module(id)])
        running[id] = connector
        return connector
    }

    func stopAll() { for connector in running.values { connector.stop() } }

    /// Starts member `id` as a hostile peer (no transfer module of its own, see `HostileTransferPeer`).
    @discardableResult
    func startHostile(_ id: String) throws -> HostileTransferPeer {
        let hostile = HostileTransferPeer()
        running[id] = try NegotiationTestbed.retryingBind { try federation.start(id, modules: [hostile]) }
        return hostile
    }

    /// Sends a `TransferRequestMessage` from member `consumer` straight to the provider over DSP, as a patched client
    /// would (the management API would reuse a running transfer); returns the HTTP status.
    @discardableResult
    func requestDirectly(_ agreementId: String, consumer: String = "c", provider: String = "p",
                         consumerPid: String = "urn:uuid:" + UUID().uuidString.lowercased(),
                         format: String = TransferFormat.pull, dataAddress: DataAddress? = nil) throws -> Int {
        let connector = try #require(running[consumer])
        let message = TransferRequestMessage(id: "urn:uuid:" + UUID().uuidString.lowercased(), consumerPid: consumerPid,
                                             agreementId: agreementId, format: format,
                                             callbackAddress: try #require(federation.members[consumer]).endpoint + "/callback",
                                             dataAddress: dataAddress)
        let answer = try connector.context.peerClient.send(toMember: provider, method: .post, path: "/transfers/request",
                                                          body: Array(try DSPJSON.encode(message)))
        return answer.status.code
    }

    /// The consumer-side data address and token of transfer `pid` at member `consumer`.
    func dataAddress(_ pid: String, consumer: String = "c") throws -> (endpoint: String, token: String) {
        let connector = try #require(running[consumer])
        let record = try #require(try connector.context.database.read { tx in try TransferTable.find(localPid: pid, in: tx) })
        return (try #require(record.dataAddress?.endpoint), try #require(record.dataAddress?[property: "authorization"]))
    }

    // MARK: Management API

    func call(_ id: String, _ method: HTTPMethod, _ path: String, json: [String: String]? = nil) throws -> HTTPClientResponse {
        let connector = try #require(running[id])
        var headers: HTTPHeaders = ["Authorization": "Bearer \(connector.connector.managementToken.value)"]
        var body: [UInt8] = []
        if let json {
            body = Array(try JSONEncoder().encode(json))
            headers.set("Content-Type", "application/json")
        }
        let client = HTTPClient(configuration: HTTPClientConfiguration(responseHeadTimeout: .seconds(60)))
        return try client.send(HTTPClientRequest(method: method, host: "127.0.0.1", port: connector.connector.managementPort,
                                                 target: path, headers: headers, body: body), maxBodyBytes: 1 << 24)
    }

    func summary(_ id: String, _ pid: String) throws -> TransferSummary {
        let response = try call(id, .get, "/api/transfers/\(pid)")
        return try ManagementJSON.decoder().decode(TransferSummary.self, from: Data(response.body))
    }

    func summaries(_ id: String) throws -> [TransferSummary] {
        let response = try call(id, .get, "/api/transfers")
        return try ManagementJSON.decoder().decode([String: [TransferSummary]].self, from: Data(response.body))["transfers"] ?? []
    }

    /// Starts a transfer at the consumer; returns its summary.
    func request(_ agreementId: String, consumer: String = "c") throws -> TransferSummary {
        let response = try call(consumer, .post, "/api/transfers", json: ["agreementId": agreementId])
        #expect(response.status.code == 201 || response.status.code == 200, "\(String(decoding: response.body, as: UTF8.self))")
        return try ManagementJSON.decoder().decode(TransferSummary.self, from: Data(response.body))
    }

    /// Waits until `pid` at member `id` is in `state` (or times out and returns what it is).
    @discardableResult
    func wait(_ id: String, _ pid: String, for state: String, timeout: Double = 10) throws -> TransferSummary {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try summary(id, pid)
        while last.state != state && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            last = try summary(id, pid)
        }
        return last
    }

    /// Runs the consumer daemon's download; returns the NDJSON events.
    func download(_ pid: String, to out: String, consumer: String = "c") throws -> [DownloadEvent] {
        let response = try call(consumer, .post, "/api/transfers/\(pid)/download", json: ["out": out])
        #expect(response.status.code == 200, "\(String(decoding: response.body, as: UTF8.self))")
        return try String(decoding: response.body, as: UTF8.self).split(separator: "\n").map {
            try ManagementJSON.decoder().decode(DownloadEvent.self, from: Data($0.utf8))
        }
    }

    /// Waits until the consumer's `transfer` and its provider side are both STARTED; returns the provider side.
    func startedOnBothSides(_ transfer: TransferSummary, sourceLocation: SourceLocation = #_sourceLocation) throws -> TransferSummary {
        #expect(try wait("c", transfer.pid, for: "STARTED").state == "STARTED", sourceLocation: sourceLocation)
        let provider = try #require(try providerSide(of: transfer), sourceLocation: sourceLocation)
        #expect(try wait("p", provider.pid, for: "STARTED").state == "STARTED", sourceLocation: sourceLocation)
        return provider
    }

    /// The provider process of a consumer process (same consumerPid).
    func providerSide(of consumer: TransferSummary, provider: String = "p") throws -> TransferSummary? {
        try summaries(provider).first { $0.consumerPid == consumer.consumerPid }
    }

    /// The audit log entries of member `id` whose kind is `kind`, as JSON objects.
    func auditEntries(_ id: String, kind: String) throws -> [[String: Any]] {
        let connector = try #require(running[id])
        let log = connector.context.audit.log
        // As every reader of the log does (the export, tree heads): entries waiting for a commit are written first.
        try connector.context.audit.flushDeferred()
        let entries = try connector.context.database.read { tx in try log.entries(0..<log.size(in: tx), in: tx) }
        return entries.compactMap { entry in
            guard let object = try? JSONSerialization.jsonObject(with: Data(entry.canonicalJSON)) as? [String: Any],
                  object["kind"] as? String == kind else { return nil }
            return object["fields"] as? [String: Any]
        }
    }

    // MARK: DSP validation

    /// Every DSP message the members' outboxes sent, plus `extra` bodies, checked with `dsp-validate`.
    func validateSentMessages(extra: [[UInt8]] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var bodies = extra
        for connector in running.values {
            let rows = try connector.context.database.read { tx in try tx.query("SELECT body FROM outbox") }
            bodies += try rows.map { try $0.blob("body") }
        }
        try DSPValidation.validate(bodies, in: folder, sourceLocation: sourceLocation)
    }
}
