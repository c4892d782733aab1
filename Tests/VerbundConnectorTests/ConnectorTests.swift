import Foundation
import Testing
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

@Suite struct ConnectorTests {
    @Test func twoConnectorsTalkOverMutualTLSAndSeeEachOtherAsMembers() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a", modules: [ProbeModule()])
        defer { a.stop() }
        let b = try federation.start("b", modules: [ProbeModule()])
        defer { b.stop() }

        let fromA = try a.context.peerClient.send(toMember: "b", method: .get, path: "/probe/whoami")
        #expect(fromA.status.code == 200)
        #expect(fromA.member.id == "b")
        #expect(fromA.headers["Content-Type"] == "application/json")
        let seenByB = try JSONDecoder().decode([String: String].self, from: Data(fromA.body))
        #expect(seenByB == ["member": "a", "participantId": "urn:verbund:testfed:a"])
        #expect(fromA.headers[FederationHeaders.registrySerial] == String(a.context.trust.registry.serial))
        #expect(fromA.headers[FederationHeaders.crlNumber] == "1")

        let fromB = try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami")
        #expect(try JSONDecoder().decode([String: String].self, from: Data(fromB.body))["member"] == "b")
        #expect(fromB.member.id == "a")
    }

    @Test func versionEndpointNamesTheEndpointPath() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a")
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        let response = try b.context.peerClient.send(toMemberRoot: "a", method: .get, path: "/.well-known/dspace-version")
        #expect(response.status.code == 200)
        let versions = try JSONDecoder().decode(VersionResponse.self, from: Data(response.body))
        #expect(versions.protocolVersions == [.init(version: "2025-1", path: "/dsp", binding: "HTTPS")])
        let registry = try b.context.peerClient.send(toMember: "a", method: .get, path: "/federation/registry")
        #expect(String(decoding: registry.body, as: UTF8.self) == a.context.trust.signedRegistry.compact)
        // Unknown paths and methods answer 404 and 405 like any router, with the registry serial too.
        let unknown = try b.context.peerClient.send(toMember: "a", method: .get, path: "/no/such/thing")
        #expect(unknown.status.code == 404)
        #expect(unknown.headers[FederationHeaders.registrySerial] != nil)
        let wrongMethod = try b.context.peerClient.send(toMember: "a", method: .delete, path: "/federation/registry")
        #expect(wrongMethod.status.code == 405)
        #expect(wrongMethod.headers["Allow"]?.contains("GET") == true)
        let crl = try b.context.peerClient.send(toMember: "a", method: .get, path: "/federation/crl")
        #expect(crl.body == a.context.trust.crl.der)
        #expect(crl.headers["Content-Type"] == "application/pkix-crl")
    }

    @Test func malformedDSPBodiesAnswerTheRoutesErrorShape() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a", modules: [ProbeModule()])
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        let client = b.context.peerClient
        let broken = try client.send(toMember: "a", method: .post, path: "/probe/negotiation", body: Array("{not json".utf8))
        #expect(broken.status.code == 400)
        let error = try DSPJSON.decode(ContractNegotiationError.self, from: Data(broken.body))
        #expect(error.providerPid == "p-1" && error.consumerPid == "c-1")
        #expect(error.code == "MalformedMessage")
        #expect(error.reason.first?.contains("invalid JSON") == true)
        #expect(broken.headers[FederationHeaders.registrySerial] != nil)

        let wrongType = try client.send(toMember: "a", method: .post, path: "/probe/negotiation",
                                        body: Array(#"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"Nope"}"#.utf8))
        #expect(wrongType.status.code == 400)
        let empty = try client.send(toMember: "a", method: .post, path: "/probe/negotiation")
        #expect(empty.status.code == 400)

        let message = ContractNegotiationTerminationMessage(providerPid: "p-9", consumerPid: "c-9", code: "x", reason: ["done"])
        let good = try client.send(toMember: "a", method: .post, path: "/probe/negotiation", body: Array(try DSPJSON.encode(message)))
        #expect(good.status.code == 201)
        #expect(good.headers["Content-Type"] == "application/json")

        // Small bodies only, so the client has written everything before the server answers and closes.
        let huge = try client.send(toMember: "a", method: .post, path: "/probe/small",
                                   body: Array(repeating: UInt8(ascii: " "), count: 200))
        #expect(huge.status.code == 413)

        let refused = try client.send(toMember: "a", method: .post, path: "/probe/refuse", body: Array("{}".utf8))
        #expect(refused.status.code == 400)
        #expect(try DSPJSON.decode(ContractNegotiationError.self, from: Data(refused.body)).code == "Refused")
    }

    @Test func startsWellUnderASecondAndLogsIt() throws {
        let federation = try FederationFixture(members: ["a"])
        let began = ContinuousClock.now
        let a = try federation.start("a")
        let took = ContinuousClock.now - began
        defer { a.stop() }
        #expect(took < .seconds(1))
        #expect(a.connector.startupDuration < .seconds(1))
        let started = try #require(a.log.events("connector.started").first)
        #expect(started["startupMilliseconds"] as? Double != nil)
        #expect(started["dspPort"] as? Int == Int(federation.members["a"]!.dspPort))
    }

    @Test func stopDrainsAndReleasesThePorts() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a")
        let port = a.connector.dspPort
        a.stop()
        a.stop()  // idempotent
        #expect(a.log.waitFor("connector.stopped", timeout: 1) != nil)
        // The port is free again: another connector can take it.
        let again = try federation.start("a")
        #expect(again.connector.dspPort == port)
        again.stop()
    }
}
