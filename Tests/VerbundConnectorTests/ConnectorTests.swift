import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

@Suite(.offCooperativePool) struct ConnectorTests {
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
