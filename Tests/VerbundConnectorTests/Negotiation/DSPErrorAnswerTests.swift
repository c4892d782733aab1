import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundJSON
import VerbundTransport
@testable import VerbundConnector

/// Every 4xx/5xx on the DSP listener is the DSP error object of its route family with `application/json` — also the
/// answers made before any route runs. The independent peer `p` sends the requests a hostile or sloppy peer would.
@Suite(.offCooperativePool) struct DSPErrorAnswerTests {
    @Test func errorsBeforeAndOutsideRoutesAreDSPErrors() throws {
        let bed = try NegotiationTestbed(members: ["a", "p"], opensslMembers: ["p"])
        bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try bed.start("a")
        defer { a.stop() }
        let p = try NegotiationTestbed.retryingBind { try bed.federation.start("p", modules: [IndependentPeer()]) }
        defer { p.stop() }
        let client = p.context.peerClient
        var bodies: [[UInt8]] = []

        func check(_ response: PeerResponse, _ status: Int, _ type: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(response.status.code == status, sourceLocation: sourceLocation)
            #expect(response.headers["Content-Type"]?.hasPrefix("application/json") == true,
                    "\(response.headers["Content-Type"] ?? "no Content-Type"): \(String(decoding: response.body, as: UTF8.self))",
                    sourceLocation: sourceLocation)
            let json = try? CanonicalJSON.parsePeerJSON(response.body)
            #expect(json?["@type"]?.stringValue == type, "\(String(decoding: response.body, as: UTF8.self))", sourceLocation: sourceLocation)
            #expect(json?["reason"]?.arrayValue?.isEmpty == false, sourceLocation: sourceLocation)
            bodies.append(response.body)
        }

        // An encoded "/" in a path segment: refused before routing.
        check(try client.send(toMemberRoot: "a", method: .get, path: "/dsp/negotiations/a%2Fb"), 400, "ContractNegotiationError")
        // No route at all, and a route without this method (405 keeps its Allow header).
        check(try client.send(toMember: "a", method: .post, path: "/nothing-here"), 404, "CatalogError")
        let notAllowed = try client.send(toMember: "a", method: .delete, path: "/negotiations/request")
        check(notAllowed, 405, "ContractNegotiationError")
        #expect(notAllowed.headers["Allow"]?.contains("POST") == true)
        // An unknown transfer process: the transfer family's error.
        check(try client.send(toMember: "a", method: .post, path: "/transfers/urn:uuid:none/completion", body: Array("{}".utf8)), 404,
              "TransferError")
        // (413 takes the same path, but the server closes after at most 256 KiB of an oversized body, so a client that
        // writes 1 MiB before it reads may see the reset instead of the answer; not asserted here.)
        // Framing the server cannot trust (Content-Length and Transfer-Encoding together, RFC 9112 §6.3): 400, closed.
        check(try client.send(toMember: "a", method: .post, path: "/negotiations/request", headers: ["Transfer-Encoding": "chunked"],
                              body: Array("{}".utf8)), 400, "ContractNegotiationError")
        #expect(try DSPValidation.failures(bodies).isEmpty)
    }
}
