import Foundation
import Synchronization
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// A test module: DSP routes that answer who the admitted peer is, record what they received, or refuse; and an
/// outbox kind whose handler records outcomes in a table of its own (a migration in a test-only version).
struct ProbeModule: ConnectorModule {
    final class Record: Sendable {
        let received = Mutex<[(member: String, body: [UInt8], messageId: String?)]>([])
        let outcomes = Mutex<[(id: String, outcome: String, status: Int?)]>([])
    }

    let name = "probe"
    let migrationVersions = 90...99
    let record = Record()

    var migrations: [Migration] {
        [Migration(version: 90, name: "probe outcomes", sql: "CREATE TABLE probe_outcome (id TEXT PRIMARY KEY, outcome TEXT NOT NULL) STRICT;")]
    }

    var outboxHandlers: [String: any OutboxAcknowledgementHandler] {
        let record = self.record
        return ["probe.message": OutboxHandler { delivery, outcome, tx, _ in
            try tx.execute("INSERT INTO probe_outcome (id, outcome) VALUES (?, ?)", [.text(delivery.id), .text(outcome.name)])
            let status: Int?
            switch outcome {
            case let .acknowledged(code, _), let .refused(code, _): status = code
            case .undeliverable: status = nil
            }
            record.outcomes.withLock { $0.append((delivery.id, outcome.name, status)) }
        }]
    }

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let record = self.record
        router.get("/probe/whoami") { dsp, _ in
            return try DSPResponse.json(["member": dsp.member.id, "participantId": dsp.member.participantId])
        }
        router.post("/probe/inbox") { dsp, body in
            let request = dsp.http
            let bytes = try body.readAll()
            record.received.withLock { $0.append((dsp.member.id, bytes, request.headers["Verbund-Message-Id"])) }
            return DSPResponse.ok
        }
        router.post("/probe/negotiation") { dsp, body in
            let message = try dsp.decode(ContractNegotiationTerminationMessage.self, from: body,
                                         errorShape: .negotiation(providerPid: "p-1", consumerPid: "c-1"))
            return try DSPResponse.json(["providerPid": message.providerPid], status: .created)
        }
        router.post("/probe/small") { dsp, body in
            _ = try dsp.decode(ContractNegotiationTerminationMessage.self, from: body, limit: 64,
                               errorShape: .negotiation(providerPid: "p-1", consumerPid: "c-1"))
            return DSPResponse.ok
        }
        router.post("/probe/refuse") { _, _ in
            throw DSPFailure(.badRequest, shape: .negotiation(providerPid: "p-1", consumerPid: "c-1"), code: "Refused",
                             reasons: ["the probe refuses everything"])
        }
        router.post("/probe/slow") { dsp, body in
            // Holds its delivery for a while, so tests can see other deliveries overtake it.
            let request = dsp.http
            let bytes = try body.readAll()
            Thread.sleep(forTimeInterval: 1.5)
            record.received.withLock { $0.append((dsp.member.id, bytes, request.headers["Verbund-Message-Id"])) }
            return DSPResponse.ok
        }
        router.post("/probe/unavailable") { _, _ in throw HTTPError(.serviceUnavailable, "try later") }
    }
}
