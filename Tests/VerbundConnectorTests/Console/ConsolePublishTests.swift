import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundJSON
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// Datensätze → veröffentlichen: the form as a value (body, policy, words) and on a running connector (preview,
/// publish through the API, refusals).
@Suite(.offCooperativePool) struct ConsolePublishTests {
    static func form(_ pairs: [(String, String)]) -> ConsolePublishForm { ConsolePublishForm(pairs.map { (name: $0.0, value: $0.1) }) }

    @Test func theBuilderWritesTheConstraintsVerbundEnforces() throws {
        let form = Self.form([("title", " Parken "), ("members", "jena, erfurt"), ("regions", "16"), ("validFrom", "2027-01-01"),
                              ("validUntil", "2027-12-31"), ("count", "3"), ("purposes", "Verkehrsplanung"),
                              ("themes", "TRAN"), ("themes", "<script>"), ("themes", "REGI"), ("keywords", "a, ,b")])
        #expect(form.problems.isEmpty)
        #expect(form.themes == ["TRAN", "REGI"], "unknown theme codes are dropped")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(form.bodyBytes)) as? [String: Any])
        #expect(body["title"] as? String == "Parken" && body["keywords"] as? [String] == ["a", "b"])
        #expect(body["file"] == nil && body["upstream"] == nil && body["license"] == nil)
        let rule = try #require(((body["policy"] as? [String: Any])?["permission"] as? [[String: Any]])?.first)
        let constraints = try #require(rule["constraint"] as? [[String: Any]])
        #expect(constraints.map { $0["leftOperand"] as? String } == ["https://w3id.org/verbund/odrl/member",
            "https://w3id.org/verbund/odrl/region", "dateTime", "dateTime", "count", "purpose"])
        #expect(constraints[0]["operator"] as? String == "isAnyOf" && constraints[0]["rightOperand"] as? [String] == ["jena", "erfurt"])
        #expect(constraints[1]["operator"] as? String == "eq" && constraints[1]["rightOperand"] as? String == "16")
        #expect(constraints[2]["rightOperand"] as? String == "2027-01-01T00:00:00Z" && constraints[2]["operator"] as? String == "gteq")
        #expect(constraints[3]["rightOperand"] as? String == "2028-01-01T00:00:00Z" && constraints[3]["operator"] as? String == "lt")
        #expect(constraints[4]["rightOperand"] as? Int == 3)
        // The same form gives the same bytes (the preview's fingerprint).
        #expect(form.bodyBytes == Self.form([("title", "Parken"), ("members", "jena,erfurt"), ("regions", " 16"), ("validFrom", "2027-01-01"),
                                             ("validUntil", "2027-12-31"), ("count", "3"), ("purposes", "Verkehrsplanung"),
                                             ("themes", "TRAN"), ("themes", "REGI"), ("keywords", "a,b")]).bodyBytes)

        let german = ConsolePolicyWords.sentences(form, .de).joined(separator: " ")
        #expect(german.contains("Nur die Mitglieder jena, erfurt") && german.contains("mit 16 beginnt")
                && german.contains("vom 2027-01-01 bis einschließlich 2027-12-31") && german.contains("höchstens 3 Übertragungen")
                && german.contains("Zweck Verkehrsplanung"), "\(german)")
        let english = ConsolePolicyWords.sentences(form, .en).joined(separator: " ")
        #expect(english.contains("Only the members jena, erfurt") && english.contains("at most 3 transfers"), "\(english)")
        let open = ConsolePolicyWords.sentences(Self.form([("title", "x")]), .de)
        #expect(open.contains("Jedes aktive Mitglied der Föderation darf einen Vertrag schließen."))
        #expect(open.contains("Es gibt keine zeitliche Begrenzung."))
    }

    @Test func whatCannotBeWrittenIsAProblemNotAGuess() {
        #expect(Self.form([("validFrom", "2027-02-30")]).problems == [.notADate(field: "validFrom")])
        #expect(Self.form([("validUntil", "morgen")]).problems == [.notADate(field: "validUntil")])
        #expect(Self.form([("validFrom", "2027-02-01"), ("validUntil", "2027-01-01")]).problems == [.untilBeforeFrom])
        for count in ["-1", "drei", "1e3", "99999999999999999999"] {
            #expect(Self.form([("count", count)]).problems == [.notACount], "\(count)")
        }
        #expect(Self.form([("count", "0")]).problems.isEmpty)
        let api = Self.form([("upstream", "https://api.example/v1"), ("title", "x")])
        #expect((api.body["upstream"] as? [String: Any])?["pathPrefixes"] as? [String] == ["/"])
    }

    @Test func aStewardPreviewsThenPublishesThroughTheAPI() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try ConsoleRouteTests.accounts(running)
        let folder = TemporaryFolder("console-publish")
        let file = try CatalogHarness.dataFile(folder, "parken.csv", "ort;frei\nmitte;12\n")
        let steward = ConsoleRouteTests.Browser(port: running.connector.managementPort)
        try steward.login(accounts[.steward]!.name, accounts[.steward]!.secret)

        let formPage = try steward.send(.get, "/console/datasets/new")
        #expect(formPage.status.code == 200)
        ConsoleRouteTests.expectSecurityHeaders(formPage, "form")
        let formHTML = ConsoleRouteTests.text(formPage)
        for name in ["title", "description", "keywords", "license", "contactName", "contactEmail", "file", "upstream", "members",
                     "regions", "validFrom", "validUntil", "count", "purposes"] {
            #expect(formHTML.contains("<label for=\"f-\(name)\">"), "\(name) has a label")
        }
        #expect(formHTML.contains("dl-by-de/2.0") && !formHTML.contains("name=\"previewed\""))
        #expect(ConsoleRouteTests.text(try steward.send(.get, "/console/datasets")).contains("href=\"/console/datasets/new\""))

        let csrf = try steward.csrf(on: "/console/datasets/new")
        var fields: [(String, String)] = [("csrf", csrf), ("title", ConsoleRouteTests.hostile), ("description", "Belegung"), ("file", file), ("regions", "16"),
                                          ("count", "2"), ("license", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
                                          ("contactName", "Amt"), ("contactEmail", "daten@example.org"), ("themes", "TRAN")]
        // Preview: the words, nothing published yet.
        let preview = try steward.send(.post, "/console/datasets/publish", pairs: fields + [("step", "preview")])
        let previewHTML = ConsoleRouteTests.text(preview)
        #expect(preview.status.code == 200, "\(previewHTML)")
        #expect(previewHTML.contains("mit 16 beginnt") && previewHTML.contains("höchstens 2 Übertragungen"))
        #expect(previewHTML.contains("only region 16 (Thüringen)"), "the API's own description")
        #expect(!previewHTML.contains("<script>alert") && previewHTML.contains(ConsoleHTML.escape(ConsoleRouteTests.hostile)))
        #expect(try CatalogHarness.management(running, .get, "/api/catalog/datasets").body.arrayValue?.count == 0)
        let marker = "name=\"previewed\" value=\""
        let fingerprint = String(previewHTML[try #require(previewHTML.range(of: marker)).upperBound...].prefix { $0 != "\"" })
        #expect(fingerprint.count == 64)

        // Publishing without the preview's fingerprint, or after a change, shows the (new) preview instead.
        #expect(try steward.send(.post, "/console/datasets/publish", pairs: fields + [("step", "publish")]).status.code == 409)
        let changed = try steward.send(.post, "/console/datasets/publish",
                                       pairs: fields.map { $0.0 == "count" ? ("count", "20") : $0 } + [("step", "publish"), ("previewed", fingerprint)])
        #expect(changed.status.code == 409 && ConsoleRouteTests.text(changed).contains("höchstens 20 Übertragungen"))
        #expect(try CatalogHarness.management(running, .get, "/api/catalog/datasets").body.arrayValue?.count == 0)

        // A forged form without the CSRF token: 403, nothing published.
        let forged = try steward.send(.post, "/console/datasets/publish",
                                      pairs: fields.filter { $0.0 != "csrf" } + [("step", "publish"), ("previewed", fingerprint)])
        #expect(forged.status.code == 403)
        #expect(try CatalogHarness.management(running, .get, "/api/catalog/datasets").body.arrayValue?.count == 0)

        let audit = try running.context.audit.size()
        let published = try steward.send(.post, "/console/datasets/publish", pairs: fields + [("step", "publish"), ("previewed", fingerprint)])
        #expect(published.status.code == 201, "\(ConsoleRouteTests.text(published))")
        let list = try #require(try CatalogHarness.management(running, .get, "/api/catalog/datasets").body.arrayValue)
        #expect(list.count == 1)
        let id = try #require(list.first?["id"]?.stringValue)
        #expect(ConsoleRouteTests.text(published).contains(id))
        let stored = try #require(try CatalogStore(database: running.context.database).dataset(id: id))
        #expect(stored.record.license == "http://dcat-ap.de/def/licenses/dl-by-de/2.0" && stored.record.metadata?.contactPoint?.name == "Amt")
        #expect(PolicyDescription.describe(try #require(stored.record.offers.first)).contains("only region 16"))
        let entries = try AccountAccessTests.auditEntries(running.context, from: audit)
        #expect(entries.contains { $0["kind"]?.stringValue == "catalog.dataset.published"
            && $0["fields"]?["account"]?.stringValue == accounts[.steward]!.name })

        // The API's refusal is shown in the form, with the form kept: a relative path, a licence outside the vocabulary.
        fields = fields.map { $0.0 == "file" ? ("file", "relativ/parken.csv") : $0 }
        let relative = try ConsoleRouteTests.text(steward.send(.post, "/console/datasets/publish", pairs: fields + [("step", "preview")]))
        let print = String(relative[try #require(relative.range(of: marker)).upperBound...].prefix { $0 != "\"" })
        let refused = try steward.send(.post, "/console/datasets/publish", pairs: fields + [("step", "publish"), ("previewed", print)])
        #expect(refused.status.code >= 400 && ConsoleRouteTests.text(refused).contains("not absolute"), "\(ConsoleRouteTests.text(refused))")
        #expect(ConsoleRouteTests.text(refused).contains("value=\"relativ/parken.csv\""))
        // Bad input the form itself cannot write: 422 with the reason.
        let badDate = try steward.send(.post, "/console/datasets/publish", pairs: fields + [("validFrom", "2027-13-01"), ("step", "preview")])
        #expect(badDate.status.code == 422 && ConsoleRouteTests.text(badDate).contains("2027-13-01"))
        // A region that is no AGS prefix is refused by the same validation the API uses, before any preview.
        let badRegion = try steward.send(.post, "/console/datasets/publish",
                                         pairs: fields.map { $0.0 == "regions" ? ("regions", "Jena") : $0 } + [("step", "preview")])
        #expect(badRegion.status.code == 422 && !ConsoleRouteTests.text(badRegion).contains("name=\"previewed\""))
        #expect(try CatalogHarness.management(running, .get, "/api/catalog/datasets").body.arrayValue?.count == 1)
    }

    @Test func rolesWithoutManageDatasetsCannotPublish() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        let accounts = try ConsoleRouteTests.accounts(running)
        for role in [AccountRole.auditor, .viewer] {
            let browser = ConsoleRouteTests.Browser(port: running.connector.managementPort)
            try browser.login(accounts[role]!.name, accounts[role]!.secret)
            let csrf = try browser.csrf(on: "/console/")
            #expect(try browser.send(.get, "/console/datasets/new").status.code == 403, "\(role)")
            let answer = try browser.send(.post, "/console/datasets/publish",
                                          pairs: [("csrf", csrf), ("title", "x"), ("file", "/etc/hostname"), ("step", "preview")])
            #expect(answer.status.code == 403 && ConsoleRouteTests.text(answer).contains("steward, operator"), "\(role)")
            #expect(!ConsoleRouteTests.text(try browser.send(.get, "/console/datasets")).contains("/console/datasets/new"), "\(role)")
        }
        #expect(try CatalogHarness.management(running, .get, "/api/catalog/datasets").body.arrayValue?.count == 0)
    }
}
