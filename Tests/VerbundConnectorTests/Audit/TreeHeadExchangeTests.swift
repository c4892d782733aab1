import Foundation
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundCLI
import VerbundHTTP
import VerbundStore
import VerbundTrust
@testable import VerbundConnector

@Suite(.offCooperativePool) struct TreeHeadExchangeTests {
    static let fast = AuditModule.Settings(signInterval: .milliseconds(50))

    @Test func connectorSignsTreeHeadsAndServesThemToMembers() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a", modules: [AuditModule(settings: Self.fast)])
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        let root = a.context.trust.root

        let first = try ManagementJSON.decoder().decode(TreeHeadReport.self, from: Data(try a.management("/api/audit/sth").body))
        let parsed = try SignedTreeHead(compact: first.jws)
        try parsed.verifyChain(ChainVerifier(root: root), at: Date())
        #expect(parsed.signer == a.context.identity.certificate)
        #expect(parsed.treeSize == first.treeSize)

        // New entries get a new head within a batch interval.
        try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": 1]))
        #expect(try eventually { try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize == first.treeSize + 1 })

        // Members fetch it over DSP, and every DSP response carries it.
        let fetched = try b.context.peerClient.send(toMember: "a", method: .get, path: "/audit/sth")
        #expect(fetched.status.code == 200)
        #expect(fetched.headers["Content-Type"] == "application/jose")
        let served = try SignedTreeHead(compact: String(decoding: fetched.body, as: UTF8.self))
        #expect(served.treeSize == first.treeSize + 1)
        #expect(fetched.headers[TreeHeadRelay.header] == served.compact)
        let other = try b.context.peerClient.send(toMember: "a", method: .get, path: "/federation/registry")
        #expect(other.headers[TreeHeadRelay.header] == served.compact)

        // The consistency proof between the two heads checks out; bad sizes are refused.
        let proofResponse = try b.context.peerClient.send(toMember: "a", method: .get,
                                                          path: "/audit/consistency?from=\(parsed.treeSize)&to=\(served.treeSize)")
        #expect(proofResponse.status.code == 200)
        let proof = try ConsistencyProofJSON.decode(proofResponse.body)
        #expect(TreeHeadConsistency.check(old: parsed.head, new: served.head, proof: proof) == .consistent)
        for bad in ["from=3&to=1", "from=0&to=100000", "from=x&to=1", ""] {
            let refused = try b.context.peerClient.send(toMember: "a", method: .get, path: "/audit/consistency?\(bad)")
            #expect(refused.status.code == 400, "\(bad)")
        }
    }

    @Test func peersKeepEachOthersHeadsAndDetectARewrittenLog() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a", modules: [AuditModule(settings: Self.fast)])
        defer { a.stop() }
        let b = try federation.start("b", modules: [AuditModule(settings: Self.fast)])
        defer { b.stop() }

        for n in 0..<5 { try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": .integer(Int64(n))])) }
        #expect(try eventually { try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize >= 5 })
        _ = try b.context.peerClient.send(toMember: "a", method: .get, path: "/federation/registry")
        #expect(try eventually { try b.rows("SELECT status FROM audit_peer_state WHERE member_id = 'a'").count == 1 })

        // a's log grows; b sees the bigger head, fetches a consistency proof and accepts it.
        let held = try b.rows("SELECT tree_size FROM audit_peer_state WHERE member_id = 'a'")[0].int("tree_size")
        try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": 5]))
        #expect(try eventually { try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize > held })
        _ = try b.context.peerClient.send(toMember: "a", method: .get, path: "/federation/registry")
        #expect(try eventually {
            try b.rows("SELECT tree_size FROM audit_peer_state WHERE member_id = 'a'")[0].int("tree_size") > held
        })
        var peers = try ManagementJSON.decoder().decode([PeerTreeHeadReport].self, from: Data(try b.management("/api/audit/peers").body))
        #expect(peers.map(\.member) == ["a"])
        #expect(peers[0].status == "consistent" && peers[0].headsReceived >= 2)

        // a rewrites its history: entry 1 changed, every hash recomputed, its own old heads deleted, one more entry.
        try a.context.database.transaction { tx in
            let log = a.context.audit.log
            let entries = try log.entries(0..<Int.max, in: tx).map { try $0.value() }
            try tx.executeScript("""
                DROP TRIGGER audit_log_leaf_no_delete; DROP TRIGGER audit_log_node_no_delete;
                DELETE FROM audit_log_leaf; DELETE FROM audit_log_node; DELETE FROM audit_signed_tree_head;
                """)
            for (index, entry) in entries.enumerated() {
                var value = entry
                if index == 1, case .object(var members) = value {
                    members["fields"] = ["n": 999]
                    value = .object(members)
                }
                try log.append(value, in: tx)
            }
        }
        try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": 6]))
        let rewrittenSize = try a.context.audit.size()
        #expect(try eventually { try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize == rewrittenSize })
        _ = try b.context.peerClient.send(toMember: "a", method: .get, path: "/federation/registry")

        #expect(b.log.waitFor("audit.peer.inconsistent", timeout: 5) != nil)
        peers = try ManagementJSON.decoder().decode([PeerTreeHeadReport].self, from: Data(try b.management("/api/audit/peers").body))
        #expect(peers[0].status == "inconsistent")
        #expect(peers[0].problem?.contains("inconsistent") == true)
        #expect(peers[0].conflictingTreeHead != nil)
        #expect(try b.logKinds().contains("audit.peer.inconsistent"))
        // The CLI shows it too.
        let console = CapturedConsole()
        let status = VerbundCommandLine.main(["audit", "peers", "--config", federation.members["b"]!.configurationFile], console: console)
        #expect(status == 0)
        #expect(console.standardOutput.contains("a: INCONSISTENT"))
    }

    @Test func signerRefusesToSignOverALogThatNoLongerExtendsItsLastHead() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a", modules: [AuditModule(settings: Self.fast)])
        defer { a.stop() }
        for n in 0..<3 { try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": .integer(Int64(n))])) }
        #expect(try eventually { try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize == 3 })
        // Damage: entry 0 rewritten with the hashes recomputed, but the signed heads kept.
        try a.context.database.transaction { tx in
            let entries = try a.context.audit.log.entries(0..<Int.max, in: tx).map { try $0.value() }
            try tx.executeScript("""
                DROP TRIGGER audit_log_leaf_no_delete; DROP TRIGGER audit_log_node_no_delete;
                DELETE FROM audit_log_leaf; DELETE FROM audit_log_node;
                """)
            try a.context.audit.log.append(["kind": "forged"], in: tx)
            for entry in entries.dropFirst() { try a.context.audit.log.append(entry, in: tx) }
        }
        try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": 3]))
        #expect(a.log.waitFor("audit.sth.refused", timeout: 5) != nil)
        #expect(try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize == 3)
    }

    @Test func adminActionsAndTrustUpdatesAreLogged() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a", modules: [AuditModule(settings: Self.fast), AdminProbeModule()])
        defer { a.stop() }
        #expect(try a.management("/api/adminprobe/ping", method: .post).status.code == 200)
        #expect(try a.management("/api/adminprobe/ping", method: .post, authorized: false).status.code == 401)
        #expect(try a.management("/api/audit/sth").status.code == 200)  // reads are not admin actions
        let actions = try a.context.database.read { tx in
            try a.context.audit.log.entries(0..<Int.max, in: tx).map { try $0.value() }
        }.filter { $0["kind"]?.stringValue == "management.action" }
        #expect(actions.count == 1)  // a request without a valid token writes nothing (ManagementGuardTests)
        #expect(actions.map { $0["fields"]?["status"]?.integerValue } == [200])
        #expect(actions.first?["fields"]?["route"]?.stringValue == "/api/adminprobe/ping")

        // A new registry (the admin suspends b) lands in the log and in the trust history.
        _ = try federation.admin().suspend(memberId: "b", reason: "test")
        try federation.publish(to: ["a"])
        #expect(try eventually { try a.logKinds().contains("federation.registry.accepted") })
        #expect(try eventually {
            try a.rows("SELECT number FROM audit_trust_history WHERE kind = 'registry'").count == 2
        })
        #expect(try a.rows("SELECT number FROM audit_trust_history WHERE kind = 'crl'").count == 1)
    }

    @Test func aPeersHeadSignedWithAnotherMembersKeyOrBrokenIsRefused() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let a = try federation.start("a", modules: [AuditModule(settings: Self.fast)])
        defer { a.stop() }
        let checker = PeerTreeHeadChecker(context: a.context)
        let head = try TreeHead(treeSize: 0, rootHash: MerkleTree.emptyRootHash, timestamp: Date())
        let (keyC, chainC) = try federation.identity("c")
        let byC = try SignedTreeHead.sign(head, key: keyC, chain: chainC)
        // c's head presented as b's: refused, nothing stored for b.
        #expect(checker.check(memberId: "b", compact: byC.compact) == .invalid)
        #expect(checker.check(memberId: "b", compact: "eyJhbGciOiJFUzI1NiJ9.e30.AAAA") == .invalid)
        #expect(try a.rows("SELECT member_id FROM audit_peer_state").isEmpty)
        // c's own head is taken as the first reference; the same again is nothing new.
        #expect(checker.check(memberId: "c", compact: byC.compact) == .first)
        #expect(checker.check(memberId: "c", compact: byC.compact) == .same)
        // Another root of the same size from c: a fork, no proof needed.
        let fork = try SignedTreeHead.sign(try TreeHead(treeSize: 0, rootHash: Array(repeating: 1, count: 32), timestamp: Date()),
                                           key: keyC, chain: chainC)
        #expect(checker.check(memberId: "c", compact: fork.compact) == .inconsistent)
        let state = try a.rows("SELECT status, problem FROM audit_peer_state WHERE member_id = 'c'")
        #expect(try state[0].string("status") == "inconsistent")
        #expect(try state[0].string("problem").contains("fork"))
    }

    @Test func signingContinuesConsistentlyAfterARestart() throws {
        let federation = try FederationFixture(members: ["a"])
        var a = try federation.start("a", modules: [AuditModule(settings: Self.fast)])
        for n in 0..<4 { try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": .integer(Int64(n))])) }
        #expect(try eventually { try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize == 4 })
        a.stop()
        a = try federation.start("a", modules: [AuditModule(settings: Self.fast)])
        defer { a.stop() }
        let size = try a.context.audit.size()
        #expect(try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize == size)
        try a.context.audit.record(AuditEvent(kind: "test.event", fields: ["n": 4]))
        #expect(try eventually { try SignedTreeHead(compact: a.context.treeHeads.latest ?? "").treeSize == size + 1 })
        #expect(a.log.events("audit.sth.refused").isEmpty)
        let sizes = try a.rows("SELECT tree_size FROM audit_signed_tree_head ORDER BY id").map { try $0.int("tree_size") }
        #expect(sizes == sizes.sorted() && sizes.count >= 3)
    }
}
