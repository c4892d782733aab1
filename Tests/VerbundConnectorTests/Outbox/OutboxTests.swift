import Foundation
import Testing
import VerbundTestSupport
import VerbundFederation
import VerbundHTTP
import VerbundStore
@testable import VerbundConnector

/// The outbox: enqueued in the caller's transaction, delivered by the dispatcher thread, outcomes reported to the
/// kind's handler in the transaction that finishes the message.
@Suite(.offCooperativePool) struct OutboxTests {
    private func enqueue(_ running: RunningConnector, _ request: OutboxRequest) throws {
        try running.context.database.transaction { tx in try running.context.enqueue(request, in: tx) }
    }

    private func outcomes(_ probe: ProbeModule, count: Int, timeout: Double = 5) -> [(id: String, outcome: String, status: Int?)] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let now = probe.record.outcomes.withLock { $0 }
            if now.count >= count { return now }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return probe.record.outcomes.withLock { $0 }
    }

    @Test func acknowledgedRefusedAndUndeliverableOutcomesReachTheHandler() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let sender = ProbeModule()
        let receiver = ProbeModule()
        let a = try federation.start("a", modules: [sender])
        defer { a.stop() }
        let b = try federation.start("b", modules: [receiver])
        defer { b.stop() }

        try enqueue(a, OutboxRequest(id: "m-ack", kind: "probe.message", correlation: "neg-1",
                                     destination: .member("b", path: "/probe/inbox"), body: Array(#"{"n":1}"#.utf8)))
        try enqueue(a, OutboxRequest(id: "m-refused", kind: "probe.message", correlation: "neg-1",
                                     destination: .url(federation.members["b"]!.endpoint + "/probe/refuse"), body: Array("{}".utf8)))
        let seen = outcomes(sender, count: 2)
        #expect(seen.first { $0.id == "m-ack" }?.outcome == "acknowledged")
        #expect(seen.first { $0.id == "m-ack" }?.status == 200)
        #expect(seen.first { $0.id == "m-refused" }?.outcome == "refused")
        #expect(seen.first { $0.id == "m-refused" }?.status == 400)
        let received = receiver.record.received.withLock { $0 }
        #expect(received.count == 1)
        #expect(received.first?.member == "a")
        #expect(received.first?.body == Array(#"{"n":1}"#.utf8))
        #expect(received.first?.messageId == "m-ack")

        // The handler's write commits with the outcome (the probe records the outcome inside that transaction, so the
        // commit may land just after it is seen); then nothing is pending any more.
        #expect(try eventually { try a.context.outbox.pendingCount() == 0 })
        let stored = try a.context.database.read { tx in
            try tx.query("SELECT id, outcome FROM probe_outcome ORDER BY id").map { try $0.string("id") + "=" + $0.string("outcome") }
        }
        #expect(stored == ["m-ack=acknowledged", "m-refused=refused"])
        let routes = try a.context.database.read { tx in
            try tx.query("SELECT message_id, outcome, response_status FROM connector_outbox_route ORDER BY message_id")
                .map { "\(try $0.string("message_id")) \(try $0.string("outcome")) \(try $0.int("response_status"))" }
        }
        #expect(routes == ["m-ack acknowledged 200", "m-refused refused 400"])

        // A revoked member is given up on (undeliverable); enqueueing to a stranger is refused at once.
        _ = try federation.admin().revoke(memberId: "c", reason: "gone")
        try federation.publish(to: ["a"])
        #expect(a.log.waitFor("federation.registry.accepted") != nil)
        try enqueue(a, OutboxRequest(id: "m-gone", kind: "probe.message", destination: .member("c", path: "/probe/inbox"), body: []))
        let final = outcomes(sender, count: 3)
        #expect(final.first { $0.id == "m-gone" }?.outcome == "undeliverable")
        #expect(throws: PeerError.self) {
            try enqueue(a, OutboxRequest(kind: "probe.message", destination: .member("nobody", path: "/x"), body: []))
        }
        #expect(throws: PeerError.self) {
            try enqueue(a, OutboxRequest(kind: "probe.message", destination: .url("ftp://example.org/x"), body: []))
        }
        #expect(throws: PeerError.self) {
            try enqueue(a, OutboxRequest(kind: "probe.message", destination: .member("b", path: "relative"), body: []))
        }
    }

    @Test func unreachablePeersAreRetriedWithBackoffUntilTheyAnswer() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let sender = ProbeModule()
        let a = try federation.start("a", modules: [sender])
        defer { a.stop() }
        try enqueue(a, OutboxRequest(id: "m-later", kind: "probe.message", destination: .member("b", path: "/probe/inbox"),
                                     body: Array("{}".utf8)))
        let retry = try #require(a.log.waitFor("outbox.retry"))
        #expect(retry["id"] as? String == "m-later")
        #expect(try a.context.outbox.pendingCount() == 1)
        let message = try #require(try a.context.outbox.store.message(id: "m-later"))
        #expect(message.attempts >= 1)
        #expect(message.lastError?.contains("cannot connect") == true)

        // b comes up: the next attempt (backoff capped at 1 s in the fixture) is acknowledged.
        let receiver = ProbeModule()
        let b = try federation.start("b", modules: [receiver])
        defer { b.stop() }
        #expect(outcomes(sender, count: 1, timeout: 5).first?.outcome == "acknowledged")
        #expect(receiver.record.received.withLock { $0.count } == 1)
    }

    @Test func serverErrorsAreRetriedNotGivenUp() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let sender = ProbeModule()
        let a = try federation.start("a", modules: [sender])
        defer { a.stop() }
        let b = try federation.start("b", modules: [ProbeModule()])
        defer { b.stop() }
        try enqueue(a, OutboxRequest(id: "m-503", kind: "probe.message", destination: .member("b", path: "/probe/unavailable"),
                                     body: Array("{}".utf8)))
        let retry = try #require(a.log.waitFor("outbox.retry"))
        #expect((retry["reason"] as? String)?.contains("503") == true)
        #expect(sender.record.outcomes.withLock { $0.isEmpty })
        #expect(try a.context.outbox.pendingCount() == 1)
    }

    @Test func aRolledBackTransactionEnqueuesNothing() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a", modules: [ProbeModule()])
        defer { a.stop() }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try a.context.database.transaction { tx in
                try a.context.enqueue(OutboxRequest(id: "m-x", kind: "probe.message",
                                                    destination: .member("b", path: "/probe/inbox"), body: []), in: tx)
                throw Abort()
            }
        }
        #expect(try a.context.outbox.store.message(id: "m-x") == nil)
    }

    @Test func messagesOfOneProcessKeepTheirOrderWhileOtherProcessesOvertakeASlowDelivery() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let sender = ProbeModule()
        let receiver = ProbeModule()
        let a = try federation.start("a", modules: [sender])
        defer { a.stop() }
        let b = try federation.start("b", modules: [receiver])
        defer { b.stop() }

        // One transaction, so all six share a schedule: the order within a process is the order of enqueueing.
        try a.context.database.transaction { tx in
            try a.context.enqueue(OutboxRequest(id: "z-slow", kind: "probe.message", correlation: "process-1",
                                                destination: .member("b", path: "/probe/slow"), body: Array("0".utf8)), in: tx)
            for n in 1...4 {
                try a.context.enqueue(OutboxRequest(id: "y-\(5 - n)", kind: "probe.message", correlation: "process-1",
                                                    destination: .member("b", path: "/probe/inbox"), body: Array("\(n)".utf8)), in: tx)
            }
            try a.context.enqueue(OutboxRequest(id: "x-other", kind: "probe.message", correlation: "process-2",
                                                destination: .member("b", path: "/probe/inbox"), body: Array("other".utf8)), in: tx)
        }
        let seen = outcomes(sender, count: 6, timeout: 10)
        #expect(seen.count == 6)
        #expect(seen.allSatisfy { $0.outcome == "acknowledged" })
        let bodies = receiver.record.received.withLock { $0.map { String(decoding: $0.body, as: UTF8.self) } }
        // process-2 is not held up by process-1's slow first message; process-1's messages arrive in order.
        #expect(bodies.first == "other")
        #expect(bodies.filter { $0 != "other" } == ["0", "1", "2", "3", "4"])
        // The outcome is seen inside the finishing transaction; its commit (grouped) may land a moment later.
        #expect(try eventually { try a.context.outbox.pendingCount() == 0 })
    }

    @Test func theDispatcherDeliversAgainAfterStopAndStart() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let receiver = ProbeModule()
        let b = try federation.start("b", modules: [receiver])
        defer { b.stop() }
        let sender = ProbeModule()
        let context = try federation.context("a", modules: [sender])
        let dispatcher = context.outbox
        for round in 1...2 {
            for (kind, handler) in sender.outboxHandlers { dispatcher.register(kind: kind, handler: handler) }
            dispatcher.start(context: context)
            try context.database.transaction { tx in
                try context.enqueue(OutboxRequest(id: "m-\(round)", kind: "probe.message", destination: .member("b", path: "/probe/inbox"),
                                                  body: Array("{}".utf8)), in: tx)
            }
            #expect(outcomes(sender, count: round).count == round)
            dispatcher.stop()
        }
        #expect(receiver.record.received.withLock { $0.map(\.messageId) } == ["m-1", "m-2"])
    }
}
