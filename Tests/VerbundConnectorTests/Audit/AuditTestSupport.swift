import Foundation
import Synchronization
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// Polls `condition` until it holds or `seconds` pass.
func eventually(_ seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    } while Date() < deadline
    return try condition()
}

/// Contracts handed to the audit module directly, standing in for the negotiation module's `ContractLookup`.
final class FixedContracts: ContractLookup {
    private let records = Mutex<[ContractRecord]>([])

    func add(_ record: ContractRecord) { records.withLock { $0.insert(record, at: 0) } }

    func contract(agreementId: String, in transaction: Transaction) throws -> ContractRecord? {
        records.withLock { $0.first { $0.agreement.id == agreementId } }
    }

    func contracts(in transaction: Transaction) throws -> [ContractRecord] { records.withLock { $0 } }
}

/// A module with one management route that changes nothing but is an admin action (POST).
struct AdminProbeModule: ConnectorModule {
    let name = "adminprobe"
    let migrationVersions = 95...96

    func registerManagementRoutes(into router: inout Router, context: ConnectorContext) {
        router.post("/api/adminprobe/ping") { _, _ in try ManagementJSON.response(["pong": true]) }
    }
}

extension FederationFixture {
    /// An agreement between `provider` and `consumer` signed by both with their real keys, as the negotiation
    /// module would store it: a general JWS (RFC 7515 §7.2.1) over the agreement's signing payload.
    func dualSignedContract(provider: String, consumer: String, agreedAt: Date, id: String = "urn:uuid:\(UUID())")
        throws -> ContractRecord {
        let agreement = Agreement(
            id: id, target: "urn:uuid:dataset-parking", assigner: "urn:verbund:\(federationId):\(provider)",
            assignee: "urn:verbund:\(federationId):\(consumer)", timestamp: agreedAt,
            permission: [Rule(action: "use", constraint: [.atomic("count", "lteq", .string("3"))])])
        var jws = GeneralJWS(payload: Array(try agreement.signingPayload()))
        for party in [provider, consumer] {
            let (key, chain) = try identity(party)
            try jws.addSignature(header: JWSHeader(kid: chain[0].fingerprintSHA256, certificateChain: chain), key: key)
        }
        return ContractRecord(
            agreement: agreement, role: .provider, peerMemberId: consumer, providerPid: "urn:uuid:p-\(UUID())",
            consumerPid: "urn:uuid:c-\(UUID())", finalizedAt: agreedAt,
            contractJWS: String(decoding: try jws.json(), as: UTF8.self), purpose: "Verkehrsplanung")
    }
}

extension RunningConnector {
    /// Rows of the connector's database (tests only).
    func rows(_ sql: String) throws -> [Row] {
        try context.database.read { tx in try tx.query(sql) }
    }

    /// The kinds of the connector's log entries, in order.
    func logKinds() throws -> [String] {
        try context.database.read { tx in
            try context.audit.log.entries(0..<Int.max, in: tx).compactMap { try $0.value()["kind"]?.stringValue }
        }
    }
}
