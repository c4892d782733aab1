import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// The provider's DSP transfer routes called in process through the DSP guard (`RouteHarness`): what each request is
/// answered and what it leaves in the store. The provider's outbox does not run here, so nothing reaches a consumer
/// and nothing moves between two requests: the end-to-end flows are in `TransferPullTests`, `TransferPolicyTests` and
/// `TransferHostileMemberTests`.
@Suite(.offCooperativePool) struct TransferRouteTests {
    private static func request(_ agreement: String, consumerPid: String = "urn:uuid:" + UUID().uuidString.lowercased(),
                                format: String = TransferFormat.pull, callback: String,
                                id: String = "urn:uuid:" + UUID().uuidString.lowercased()) -> TransferRequestMessage {
        TransferRequestMessage(id: id, consumerPid: consumerPid, agreementId: agreement, format: format, callbackAddress: callback)
    }

    @Test func badRequestsAre400AndUnknownProcesses404WithTheTransferError() throws {
        let harness = try TransferHarness(size: 1000)
        let agreement = harness.contract()
        let provider = try RouteHarness(harness.federation, member: "p", modules: [harness.module("p")])
        let callback = harness.federation.members["c"]!.endpoint + "/callback"

        let odd = try provider.dsp("/dsp/transfers/request", Self.request(agreement, format: "Carrier-Pigeon", callback: callback), as: "c")
        #expect(odd.code == 400)
        #expect(try odd.json()["reason"]?.arrayValue?.first?.stringValue?.contains("Carrier-Pigeon") == true)
        let foreign = try provider.dsp("/dsp/transfers/request",
                                       Self.request(agreement, callback: "https://example.org/callback"), as: "c")
        #expect(foreign.code == 400)
        #expect(try foreign.json()["reason"]?.arrayValue?.first?.stringValue?.contains("not at your registered endpoint") == true)
        let unknown = try provider.dsp(.get, "/dsp/transfers/urn:uuid:nope", as: "c")
        #expect(unknown.code == 404)
        let malformed = try provider.dsp(.post, "/dsp/transfers/request", body: Array("{\"@type\":\"TransferRequestMessage\"}".utf8), as: "c")
        #expect(malformed.code == 400)
        for answer in [odd, foreign, unknown, malformed] {
            #expect(try answer.json()["@type"]?.stringValue == "TransferError")
            #expect(answer.headers["Content-Type"] == "application/json")
        }
        // None of them made a process.
        #expect(try provider.context.database.read { tx in try tx.queryFirst("SELECT COUNT(*) AS n FROM transfer_process")?.int("n") } == 0)
        try DSPValidation.validate([odd.body, foreign.body, unknown.body, malformed.body], in: harness.folder)
    }

    @Test func aProcessIsItsConsumersAloneAndARepeatedRequestIsAnsweredAgain() throws {
        let harness = try TransferHarness(size: 1000, members: ["p", "c", "x"])
        let agreement = harness.contract()
        let provider = try RouteHarness(harness.federation, member: "p", modules: [harness.module("p")])
        let message = Self.request(agreement, consumerPid: "urn:uuid:consumer-1", callback: harness.federation.members["c"]!.endpoint + "/callback")

        let created = try provider.dsp("/dsp/transfers/request", message, as: "c")
        #expect(created.code == 201)
        let process = try created.decode(TransferProcess.self)
        #expect(process.consumerPid == "urn:uuid:consumer-1" && process.state == .requested)
        let again = try provider.dsp("/dsp/transfers/request", message, as: "c")
        #expect(again.code == 201)
        #expect(try again.decode(TransferProcess.self).providerPid == process.providerPid)
        #expect(try provider.context.database.read { tx in try tx.queryFirst("SELECT COUNT(*) AS n FROM transfer_process")?.int("n") } == 1)

        // The consumer reads its process; another member finds nothing there, whatever it sends.
        let read = try provider.dsp(.get, "/dsp/transfers/\(process.providerPid)", as: "c")
        #expect(read.code == 200)
        let before = try read.decode(TransferProcess.self).state
        #expect(try provider.dsp(.get, "/dsp/transfers/\(process.providerPid)", as: "x").code == 404)
        let termination = TransferTerminationMessage(
            providerPid: process.providerPid, consumerPid: process.consumerPid, code: "x", reason: ["mine now"])
        let hijack = try provider.dsp(.post, "/dsp/transfers/\(process.providerPid)/termination",
                                      body: Array(try DSPJSON.encode(termination)), as: "x")
        #expect(hijack.code == 404)
        #expect(try hijack.json()["@type"]?.stringValue == "TransferError")

        // A message on another message's route, and a consumer's start that resumes nothing: 400, state unchanged.
        let misrouted = try provider.dsp(.post, "/dsp/transfers/\(process.providerPid)/completion",
                                         body: Array(try DSPJSON.encode(termination)), as: "c")
        #expect(misrouted.code == 400)
        let start = TransferStartMessage(providerPid: process.providerPid, consumerPid: process.consumerPid)
        let invalid = try provider.dsp(.post, "/dsp/transfers/\(process.providerPid)/start",
                                       body: Array(try DSPJSON.encode(start)), as: "c")
        #expect(invalid.code == 400)
        #expect(try invalid.json()["@type"]?.stringValue == "TransferError")
        #expect(try provider.dsp(.get, "/dsp/transfers/\(process.providerPid)", as: "c").decode(TransferProcess.self).state == before)
        try DSPValidation.validate([created.body, read.body, hijack.body, misrouted.body, invalid.body], in: harness.folder)
    }

    @Test func aProcessMadeOverDSPShowsInTheManagementAPIBehindTheToken() throws {
        let harness = try TransferHarness(size: 1000)
        let agreement = harness.contract()
        let provider = try RouteHarness(harness.federation, member: "p", modules: [harness.module("p")])
        let created = try provider.dsp("/dsp/transfers/request", Self.request(
            agreement, callback: harness.federation.members["c"]!.endpoint + "/callback"), as: "c")
        let pid = try created.decode(TransferProcess.self).providerPid

        let listed = try provider.management(.get, "/api/transfers/\(pid)")
        #expect(listed.code == 200)
        let summary = try ManagementJSON.decoder().decode(TransferSummary.self, from: Data(listed.body))
        #expect(summary.role == "provider" && summary.peer == "c" && summary.agreementId == agreement)
        // The same route without the bearer token: 401 naming the scheme, and nothing about the process.
        let anonymous = try provider.management(.get, "/api/transfers/\(pid)", authorized: false)
        #expect(anonymous.code == 401)
        #expect(anonymous.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        #expect(!anonymous.text.contains(pid))
        #expect(try provider.management(.get, "/api/transfers/urn:uuid:nope").code == 404)
    }
}
