import Foundation
import Testing
import VerbundFederation
@testable import VerbundCLI
@testable import VerbundConnector

/// Föderation → Zertifikate: expiry per member and the own certificate, fewer than 30 days marked.
@Suite(.offCooperativePool) struct ConsoleCertificateTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func member(_ id: String, days: [Double]) -> Member {
        Member(id: id, participantId: "urn:verbund:t:\(id)", name: "Stadt <\(id)>", ags: nil, endpoint: "https://\(id).example/dsp",
               roles: [.provider], certificates: days.enumerated().map { index, day in
                   MemberCertificate(fingerprint: String(repeating: "\(index)", count: 64), serial: "0\(index)",
                                     notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(day * 86_400))
               })
    }

    @Test func daysLeftAndTheWarning() {
        let registry = MemberRegistry(federation: .init(id: "t", name: "T"), serial: 1, issuedAt: Self.now, members: [
            Self.member("eigen", days: [400]), Self.member("zeta", days: [29.9]), Self.member("alpha", days: [10, 200]),
            Self.member("beta", days: [-1.5]), Self.member("gamma", days: [30]), Self.member("leer", days: []),
        ])
        let rows = CertificateExpiry.list(registry: registry, ownMember: "eigen", ownNotAfter: Self.now.addingTimeInterval(5 * 86_400), now: Self.now)
        #expect(rows.map(\.member) == ["eigen", "alpha", "beta", "gamma", "leer", "zeta"])
        #expect(rows[0].own && rows[0].daysLeft == 5 && rows[0].needsAttention && rows[0].name == "Stadt <eigen>")
        #expect(rows[1].daysLeft == 200 && !rows[1].needsAttention, "the certificate that expires last counts")
        #expect(rows[2].daysLeft == -2 && rows[2].expired && rows[2].needsAttention)
        #expect(rows[3].daysLeft == 30 && !rows[3].needsAttention)
        #expect(rows[4].daysLeft == nil && rows[4].notAfter == nil && rows[4].needsAttention)
        #expect(rows[5].daysLeft == 29 && rows[5].needsAttention && !rows[5].expired)
    }

    @Test func federationPageShowsTheExpiries() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try ConsoleRouteTests.accounts(running)
        let viewer = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        try viewer.login(accounts[.viewer]!.name, accounts[.viewer]!.secret)
        let html = ConsoleRouteTests.text(try viewer.send(.get, "/console/federation"))
        #expect(html.contains("<h2>Zertifikate</h2>") && html.contains("<td>a (Eigenes Zertifikat)</td>") && html.contains("<td>b</td>"), "\(html)")
        let own = ISO8601DateFormatter().string(from: running.context.identity.certificate.notAfter)
        #expect(html.contains("<td>\(own)</td>"))
        let days = Int((running.context.identity.certificate.notAfter.timeIntervalSinceNow / 86_400).rounded(.down))
        #expect(html.contains("\(days) Tage"))
        #expect(html.contains("class=\"warn\"") == (days < 30))
    }

    /// With the connector's clock 350 days on, every certificate (valid a year) has fewer than 30 days left: the
    /// Föderation page marks them and the Übersicht lists them under "Braucht Aufmerksamkeit" with what to do.
    @Test func expiringCertificatesNeedAttention() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let later = Date().addingTimeInterval(350 * 86_400)
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()),
                                        options: { $0.clock = { later } })
        defer { running.stop() }
        let accounts = try ConsoleRouteTests.accounts(running)
        let viewer = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        try viewer.login(accounts[.viewer]!.name, accounts[.viewer]!.secret)
        let federation = ConsoleRouteTests.text(try viewer.send(.get, "/console/federation"))
        #expect(federation.components(separatedBy: "<tr class=\"warn\">").count == 3, "\(federation)")
        #expect(federation.contains("läuft in weniger als 30 Tagen ab"))
        let overview = ConsoleRouteTests.text(try viewer.send(.get, "/console/"))
        #expect(overview.contains(ConsoleHTML.escape(ConsoleMessages.text(.attentionOwnCertificate, .de))), "\(overview)")
        #expect(overview.contains(ConsoleHTML.escape(ConsoleMessages.text(.attentionMemberCertificate, .de)) + " b ("))
        // Today nothing is that close.
        let fresh = try FederationFixture(members: ["c"])
        let now = try fresh.start("c", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { now.stop() }
        let other = try ConsoleRouteTests.accounts(now)
        let browser = ConsoleRouteTests.Browser(port: now.connector.managementPort)
        try browser.login(other[.viewer]!.name, other[.viewer]!.secret)
        #expect(!ConsoleRouteTests.text(try browser.send(.get, "/console/")).contains(ConsoleHTML.escape(ConsoleMessages.text(.attentionOwnCertificate, .de))))
    }
}
