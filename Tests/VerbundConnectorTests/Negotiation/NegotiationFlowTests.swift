import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundStore
import VerbundTrust
@testable import VerbundConnector

/// Negotiations between real connectors on loopback, end to end: DSP over mTLS, outbox, signatures, contracts.
@Suite(.offCooperativePool) struct NegotiationFlowTests {
    @Test func twoConnectorsFinalizeADualSignedContract() throws {
        let bed = try NegotiationTestbed(members: ["a", "b"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:baustellen", constraints: [
            .atomic("dateTime", "lt", .string("2099-01-01T00:00:00Z")),
        ])
        let a = try bed.start("a")
        defer { a.stop() }
        let b = try bed.start("b")
        defer { b.stop() }

        let started = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:baustellen", purpose: "Verkehrsplanung")
        #expect(started.role == "consumer" && started.peer == "a" && started.offer == offer.offer.id)
        let consumer = try bed.waitUntilFinished(b, started.id)
        #expect(consumer.state == "FINALIZED")
        #expect(consumer.signing == "dual")
        let agreementId = try #require(consumer.agreementId)
        let providerPid = try #require(consumer.providerPid)
        let provider = try bed.waitUntilFinished(a, providerPid)
        #expect(provider.state == "FINALIZED" && provider.role == "provider" && provider.peer == "b")
        #expect(provider.agreementId == agreementId && provider.purpose == "Verkehrsplanung")

        // Both sides keep the same contract; it verifies with our code and with joserfc.
        let root = try #require(try Certificate.all(pemFile: bed.federation.adminFolder.rootCertificate).first)
        for side in [a, b] {
            let listed = try side.management("/api/contracts")
            #expect(listed.status.code == 200)
            #expect(String(decoding: listed.body, as: UTF8.self).contains(agreementId))
            let shown = try side.management("/api/contracts/" + agreementId)
            let report = try ManagementJSON.decoder().decode(ContractReport.self, from: Data(shown.body))
            #expect(report.signing == "dual" && report.dataset == "urn:dataset:baustellen")
            #expect(report.agreement.assigner == "urn:verbund:testfed:a" && report.agreement.assignee == "urn:verbund:testfed:b")
            let export = try side.management("/api/contracts/\(agreementId)/export")
            #expect(export.status.code == 200)
            #expect(export.headers["Content-Type"] == "application/jose+json")
            let json = String(decoding: export.body, as: UTF8.self)
            let signers = try ContractVerifier.verifyOurs(json, root: root, agreement: report.agreement)
            #expect(signers == ["urn:verbund:testfed:a", "urn:verbund:testfed:b"])
            if let python = try ContractVerifier.verifyWithJoserfc(json) {
                #expect(python.status == 0, "joserfc: \(python.output)")
                #expect(python.output.contains("verified 2"))
            }
            // A contract whose agreement bytes were changed verifies with neither.
            let jws = try GeneralJWS(json: json)
            let forged = json.replacingOccurrences(of: jws.encodedPayload, with: Base64URL.encode(Array("{}".utf8)))
            #expect(throws: (any Error).self) { try ContractVerifier.verifyOurs(forged, root: root, agreement: report.agreement) }
            if let python = try ContractVerifier.verifyWithJoserfc(forged) {
                #expect(python.status != 0 && python.output.contains("BadSignatureError"), "joserfc: \(python.output)")
            }
        }
        let exportA = try a.management("/api/contracts/\(agreementId)/export").body
        let exportB = try b.management("/api/contracts/\(agreementId)/export").body
        #expect(exportA == exportB)

        // The seam transfer and audit read.
        let lookup = NegotiationContracts()
        let contract = try #require(try a.context.database.read { tx in try lookup.contract(agreementId: agreementId, in: tx) })
        #expect(contract.role == .provider && contract.peerMemberId == "b" && contract.purpose == "Verkehrsplanung")
        #expect(contract.contractJWS != nil)
        #expect(try b.context.database.read { tx in try lookup.contracts(in: tx) }.map(\.agreement.id) == [agreementId])
        #expect(try a.context.database.read { tx in try lookup.contract(agreementId: "urn:uuid:unknown", in: tx) } == nil)

        // Audit: each side logged its transitions; metrics count by state.
        #expect(try a.context.audit.size() > 0)
        let metrics = String(decoding: try a.management("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("verbund_negotiations{role=\"provider\",state=\"FINALIZED\"} 1"))

        // Every DSP body on the wire validates against the official schemas.
        #expect(bed.wire.types.isSuperset(of: ["ContractRequestMessage", "ContractAgreementMessage",
                                               "ContractAgreementVerificationMessage", "ContractNegotiationEventMessage",
                                               "ContractNegotiation"]))
        let problems = try bed.validateWire()
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func managementRefusesBadStartRequests() throws {
        let bed = try NegotiationTestbed(members: ["a", "b"])
        bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try bed.start("a")
        defer { a.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        func post(_ json: String) throws -> Int {
            try b.management("/api/negotiations", method: .post, body: Array(json.utf8)).status.code
        }
        #expect(try post("{") == 400)
        #expect(try post(#"{"peer":"b","dataset":"urn:dataset:x"}"#) == 400)
        #expect(try post(#"{"peer":"nobody","dataset":"urn:dataset:x"}"#) == 404)
        #expect(try post(#"{"peer":"a","dataset":"urn:dataset:none"}"#) == 404)  // the peer says it has no such dataset
        #expect(try post(#"{"peer":"a","dataset":"T\\mj"}"#) == 400)  // the peer refuses the id (an encoded separator)
        #expect(try post(#"{"peer":"a","dataset":"x\u0000"}"#) == 400)  // control characters never reach the peer
        #expect(try post(#"{"peer":"a","dataset":"urn:dataset:x","offer":"urn:uuid:nope"}"#) == 404)
        #expect(try b.management("/api/negotiations/urn:uuid:nope").status.code == 404)
        #expect(try b.management("/api/contracts/urn:uuid:nope").status.code == 404)
        #expect(try b.management("/api/contracts/urn:uuid:nope/export").status.code == 404)
        #expect(try b.management("/api/negotiations", authorized: false).status.code == 401)
    }
}
