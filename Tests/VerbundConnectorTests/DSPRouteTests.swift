import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// The DSP router as `Connector.start` assembles it, called in process as an admitted member (`RouteHarness`): the
/// version endpoint, the federation files, the guarded fallback for unknown paths and methods, and the error shapes
/// of malformed bodies. Talking over mutual TLS is `ConnectorTests.twoConnectorsTalkOverMutualTLSAndSeeEachOtherAsMembers`.
@Suite(.offCooperativePool) struct DSPRouteTests {
    @Test func versionEndpointNamesTheEndpointPath() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try RouteHarness(federation, member: "a")
        let response = try a.dsp(.get, "/.well-known/dspace-version", as: "b")
        #expect(response.code == 200)
        let versions = try JSONDecoder().decode(VersionResponse.self, from: Data(response.body))
        #expect(versions.protocolVersions == [.init(version: "2025-1", path: "/dsp", binding: "HTTPS")])
        let registry = try a.dsp(.get, "/dsp/federation/registry", as: "b")
        #expect(registry.text == a.context.trust.signedRegistry.compact)
        // Unknown paths and methods answer 404 and 405 like any router, with the registry serial too.
        let unknown = try a.dsp(.get, "/dsp/no/such/thing", as: "b")
        #expect(unknown.code == 404)
        #expect(unknown.headers[FederationHeaders.registrySerial] != nil)
        let wrongMethod = try a.dsp(.delete, "/dsp/federation/registry", as: "b")
        #expect(wrongMethod.code == 405)
        #expect(wrongMethod.headers["Allow"]?.contains("GET") == true)
        // Both carry the DSP error object, as every error on the DSP listener does.
        for answer in [unknown, wrongMethod] {
            #expect(answer.headers["Content-Type"] == "application/json")
            #expect(try answer.json()["@type"]?.stringValue == "CatalogError")
        }
        let crl = try a.dsp(.get, "/dsp/federation/crl", as: "b")
        #expect(crl.body == a.context.trust.crl.der)
        #expect(crl.headers["Content-Type"] == "application/pkix-crl")
        #expect(crl.headers[FederationHeaders.crlNumber] == "1")
        // Without the open version endpoint, a client without a certificate is refused everywhere (the TLS listener
        // would not even let it in; the guard refuses it as well).
        #expect(try a.dsp(.get, "/.well-known/dspace-version", as: nil).code == 404)
    }

    @Test func malformedDSPBodiesAnswerTheRoutesErrorShape() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try RouteHarness(federation, member: "a", modules: [ProbeModule()])
        let broken = try a.dsp(.post, "/dsp/probe/negotiation", body: Array("{not json".utf8), as: "b")
        #expect(broken.code == 400)
        let error = try broken.decode(ContractNegotiationError.self)
        #expect(error.providerPid == "p-1" && error.consumerPid == "c-1")
        #expect(error.code == "MalformedMessage")
        #expect(error.reason.first?.contains("invalid JSON") == true)
        #expect(broken.headers[FederationHeaders.registrySerial] != nil)

        let wrongType = try a.dsp(.post, "/dsp/probe/negotiation",
                                  body: Array(#"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"Nope"}"#.utf8),
                                  as: "b")
        #expect(wrongType.code == 400)
        #expect(try a.dsp(.post, "/dsp/probe/negotiation", as: "b").code == 400)

        let message = ContractNegotiationTerminationMessage(providerPid: "p-9", consumerPid: "c-9", code: "x", reason: ["done"])
        let good = try a.dsp("/dsp/probe/negotiation", message, as: "b")
        #expect(good.code == 201)
        #expect(good.headers["Content-Type"] == "application/json")

        #expect(try a.dsp(.post, "/dsp/probe/small", body: Array(repeating: UInt8(ascii: " "), count: 200), as: "b").code == 413)

        let refused = try a.dsp(.post, "/dsp/probe/refuse", body: Array("{}".utf8), as: "b")
        #expect(refused.code == 400)
        #expect(try refused.decode(ContractNegotiationError.self).code == "Refused")
    }

    @Test func theHandlerSeesTheMemberTheGuardAdmitted() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let a = try RouteHarness(federation, member: "a", modules: [ProbeModule()])
        for peer in ["b", "c"] {
            let seen = try JSONDecoder().decode([String: String].self, from: Data(try a.dsp(.get, "/dsp/probe/whoami", as: peer).body))
            #expect(seen == ["member": peer, "participantId": "urn:verbund:testfed:\(peer)"])
        }
        // Suspended after its handshake: the guard admits again on every request, so the next one is refused.
        let suspended = try federation.admin().suspend(memberId: "c", reason: "audit pending")
        #expect(a.context.trust.offer(registry: suspended.compact).isAccepted)
        #expect(try a.dsp(.get, "/dsp/probe/whoami", as: "c").code == 404)
        #expect(try a.dsp(.get, "/dsp/probe/whoami", as: "b").code == 200)
    }
}
