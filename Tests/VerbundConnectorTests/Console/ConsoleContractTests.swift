import Foundation
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// Verträge and Transfers in the console, on a contract made by a real negotiation and used by a real transfer.
@Suite(.offCooperativePool) struct ConsoleContractTests {
    /// Provider `p` and consumer `c`, a contract with `count lteq 2`, one completed transfer.
    final class Scenario {
        let bed: NegotiationTestbed
        let harness: TransferHarness
        let agreementId: String
        let accounts: [String: [AccountRole: (name: String, secret: String)]]

        init() throws {
            bed = try NegotiationTestbed(members: ["p", "c"])
            harness = try TransferHarness(size: 256 << 10, members: ["p", "c"], federation: bed.federation)
            bed.publish(at: "p", dataset: harness.datasetId, constraints: [.atomic("count", "lteq", .string("2"))])
            for id in ["p", "c"] {
                harness.running[id] = try bed.start(id, extra: [
                    TransferModule(contracts: NegotiationContracts(), files: id == "p" ? harness.files : DatasetFileList([:])),
                    AuditModule(contracts: NegotiationContracts(), settings: .init(signInterval: .milliseconds(50))),
                ])
            }
            let consumer = harness.running["c"]!
            let negotiation = try bed.negotiate(consumer, peer: "p", dataset: harness.datasetId, purpose: "Verkehrsplanung")
            agreementId = try #require(try bed.waitUntilFinished(consumer, negotiation.id).agreementId)
            let transfer = try harness.request(agreementId)
            _ = try harness.wait("c", transfer.pid, for: "STARTED")
            _ = try harness.download(transfer.pid, to: harness.folder.file("data.bin"))
            _ = try harness.wait("c", transfer.pid, for: "COMPLETED")
            let provider = try #require(try harness.providerSide(of: transfer))
            _ = try harness.wait("p", provider.pid, for: "COMPLETED")
            accounts = ["p": try ConsoleRouteTests.accounts(harness.running["p"]!), "c": try ConsoleRouteTests.accounts(harness.running["c"]!)]
        }

        func browser(_ side: String, _ role: AccountRole) throws -> ConsoleRouteTests.Browser {
            let browser = ConsoleRouteTests.Browser(port: harness.running[side]!.connector.managementPort)
            try browser.login(accounts[side]![role]!.name, accounts[side]![role]!.secret)
            return browser
        }
    }

    @Test func contractPageShowsTermsSignaturesUsesAndTheEvidence() throws {
        let scenario = try Scenario()
        defer { scenario.harness.stopAll() }
        let path = "/console/contracts/" + ConsoleRoutes.pathComponent(scenario.agreementId)
        for side in ["p", "c"] {
            let auditor = try scenario.browser(side, .auditor)
            #expect(ConsoleRouteTests.text(try auditor.send(.get, "/console/negotiations")).contains("href=\"\(path)\""), "\(side)")
            let page = try auditor.send(.get, path)
            let html = ConsoleRouteTests.text(page)
            #expect(page.status.code == 200, "\(side): \(html)")
            ConsoleRouteTests.expectSecurityHeaders(page, path)
            #expect(html.contains("at most 2 transfers") && html.contains("Verkehrsplanung"), "\(side)")
            #expect(html.contains("<dt>Übertragungen genutzt</dt><dd>1</dd>") && html.contains("<dt>Übertragungen übrig</dt><dd>1</dd>"),
                    "\(side): \(html)")
            // Both signatures, named by party, ES256, verified by the evidence verifier.
            #expect(html.contains("<td>provider</td>") && html.contains("<td>consumer</td>"), "\(side): \(html)")
            #expect(html.components(separatedBy: "<td>ES256</td><td>ja</td>").count == 3, "\(side): \(html)")
            #expect(html.contains("href=\"\(path)/evidence\""))
            let download = try auditor.send(.get, path + "/evidence")
            #expect(download.status.code == 200 && download.headers["Content-Type"] == "application/json")
            #expect(download.headers["Content-Disposition"]?.hasPrefix("attachment; filename=\"evidence-") == true)
            ConsoleRouteTests.expectSecurityHeaders(download, "evidence")
            let running = scenario.harness.running[side]!
            #expect(EvidenceVerifier.verify(download.body, root: running.context.trust.root).report.succeeded)
        }
        // A steward sees the contract but not the signatures and may not export the evidence; a viewer sees neither.
        let steward = try scenario.browser("c", .steward)
        let stewardPage = ConsoleRouteTests.text(try steward.send(.get, path))
        #expect(stewardPage.contains("at most 2 transfers") && !stewardPage.contains("<td>ES256</td>")
                && stewardPage.contains("auditor, operator"), "\(stewardPage)")
        #expect(try steward.send(.get, path + "/evidence").status.code == 403)
        let viewer = try scenario.browser("c", .viewer)
        #expect(try viewer.send(.get, path).status.code == 403)
        #expect(try viewer.send(.get, path + "/evidence").status.code == 403)
        // An unknown or hostile id: the API's 404 reason, escaped.
        let auditor = try scenario.browser("c", .auditor)
        let unknown = try auditor.send(.get, "/console/contracts/" + ConsoleRoutes.pathComponent(ConsoleRouteTests.hostile))
        #expect(!ConsoleRouteTests.text(unknown).contains("<script>"))
        #expect(try auditor.send(.get, "/console/contracts/keiner/evidence").status.code == 404)
    }

    @Test func transfersPageListsProgressAndChangesStateThroughTheAPI() throws {
        let scenario = try Scenario()
        defer { scenario.harness.stopAll() }
        let second = try scenario.harness.request(scenario.agreementId)
        _ = try scenario.harness.wait("c", second.pid, for: "STARTED")
        let steward = try scenario.browser("c", .steward)
        let page = try steward.send(.get, "/console/transfers")
        let html = ConsoleRouteTests.text(page)
        #expect(page.status.code == 200, "\(html)")
        ConsoleRouteTests.expectSecurityHeaders(page, "transfers")
        #expect(html.contains("<tr data-pid=\"\(second.pid)\">") && html.contains("<td data-field=\"state\">STARTED</td>"), "\(html)")
        #expect(html.contains("<td data-field=\"state\">COMPLETED</td><td data-field=\"bytes\">\(256 << 10)</td>"), "\(html)")
        #expect(html.contains("<script src=\"/console/transfers.js\" defer></script>"))
        #expect(html.components(separatedBy: "<script").count == 2, "one script, by address, none inline")
        let path = "/console/transfers/\(ConsoleRoutes.pathComponent(second.pid))"
        #expect(html.contains("action=\"\(path)/suspend\"") && !html.contains("action=\"\(path)/resume\""))

        let script = try steward.send(.get, "/console/transfers.js")
        #expect(script.status.code == 200 && script.headers["Content-Type"] == "text/javascript; charset=utf-8")
        ConsoleRouteTests.expectSecurityHeaders(script, "script")
        #expect(ConsoleRouteTests.text(script).contains("/console/transfers/progress") && !ConsoleRouteTests.text(script).contains("innerHTML"))
        let progress = try steward.send(.get, "/console/transfers/progress")
        #expect(progress.status.code == 200 && progress.headers["Content-Type"] == "application/json")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(progress.body)) as? [[String: Any]])
        #expect(entries.contains { $0["pid"] as? String == second.pid && $0["state"] as? String == "STARTED" })
        #expect(entries.allSatisfy { Set($0.keys) == ["pid", "state", "bytes"] })

        // Without the token nothing changes; the auditor has no buttons and is refused.
        #expect(try steward.send(.post, path + "/suspend", form: [:]).status.code == 403)
        let auditor = try scenario.browser("c", .auditor)
        #expect(!ConsoleRouteTests.text(try auditor.send(.get, "/console/transfers")).contains("/suspend\""))
        let auditorToken = try auditor.csrf(on: "/console/")
        let refused = try auditor.send(.post, path + "/terminate", form: ["csrf": auditorToken])
        #expect(refused.status.code == 403 && ConsoleRouteTests.text(refused).contains("steward, operator"))
        #expect(try scenario.harness.summary("c", second.pid).state == "STARTED")

        let csrf = try steward.csrf(on: "/console/transfers")
        #expect(try steward.send(.post, path + "/suspend", form: ["csrf": csrf]).status.code == 200)
        #expect(try scenario.harness.wait("c", second.pid, for: "SUSPENDED").state == "SUSPENDED")
        #expect(ConsoleRouteTests.text(try steward.send(.get, "/console/transfers")).contains("action=\"\(path)/resume\""))
        // Suspending twice: the API's conflict, shown.
        let twice = try steward.send(.post, path + "/suspend", form: ["csrf": csrf])
        #expect(twice.status.code == 409 && ConsoleRouteTests.text(twice).contains("only a STARTED transfer"))
        #expect(try steward.send(.post, path + "/terminate", form: ["csrf": csrf]).status.code == 200)
        #expect(try scenario.harness.wait("c", second.pid, for: "TERMINATED").state == "TERMINATED")
        #expect(try steward.send(.post, "/console/transfers/keiner/terminate", form: ["csrf": csrf]).status.code == 404)
        // A viewer may not read transfers at all.
        let viewer = try scenario.browser("c", .viewer)
        #expect(try viewer.send(.get, "/console/transfers").status.code == 403)
        #expect(try viewer.send(.get, "/console/transfers/progress").status.code == 403)
    }

    /// A browser's file upload: `fields` then the file part `bundle`.
    static func upload(_ browser: ConsoleRouteTests.Browser, fields: [String: String], bundle: [UInt8],
                       boundary: String = "----verbundtest7MA4YWxkTrZu0gW") throws -> HTTPClientResponse {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.json\"\r\nContent-Type: application/json\r\n\r\n".utf8)
        body += bundle + Array("\r\n--\(boundary)--\r\n".utf8)
        var headers = HTTPHeaders()
        headers.set("Cookie", "\(ConsoleRoutes.cookie)=\(browser.cookie ?? "")")
        headers.set("Content-Type", "multipart/form-data; boundary=\(boundary)")
        return try HTTPClient().send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: browser.port, target: "/console/audit/verify",
                                                       headers: headers, body: body))
    }

    @Test func anUploadedBundleShowsTheVerifiersNamedChecks() throws {
        let scenario = try Scenario()
        defer { scenario.harness.stopAll() }
        let auditor = try scenario.browser("c", .auditor)
        let audit = ConsoleRouteTests.text(try auditor.send(.get, "/console/audit"))
        #expect(audit.contains("enctype=\"multipart/form-data\"") && audit.contains("<label for=\"f-bundle\">"))
        let csrf = try auditor.csrf(on: "/console/audit")
        let bundle = try auditor.send(.get, "/console/contracts/\(ConsoleRoutes.pathComponent(scenario.agreementId))/evidence").body
        let running = scenario.harness.running["c"]!
        let expected = EvidenceVerifier.verify(bundle, root: running.context.trust.root, currentCRL: running.context.trust.crl).report

        let verified = try Self.upload(auditor, fields: ["csrf": csrf], bundle: bundle)
        let html = ConsoleRouteTests.text(verified)
        #expect(verified.status.code == 200, "\(html)")
        ConsoleRouteTests.expectSecurityHeaders(verified, "verify")
        #expect(expected.checks.count > 10)
        for check in expected.checks { #expect(html.contains("<td>\(check.name)</td><td>ok</td>"), "\(check.name)") }
        #expect(html.contains("Alle Prüfungen bestanden."))

        // A changed bundle: the same named failure as the verifier's, 422.
        var tampered = String(decoding: bundle, as: UTF8.self)
        tampered = tampered.replacingOccurrences(of: "\"index\":0", with: "\"index\":1")
        let failed = try Self.upload(auditor, fields: ["csrf": csrf], bundle: Array(tampered.utf8))
        let failedReport = EvidenceVerifier.verify(Array(tampered.utf8), root: running.context.trust.root, currentCRL: running.context.trust.crl).report
        #expect(!failedReport.succeeded)
        #expect(failed.status.code == 422 && ConsoleRouteTests.text(failed).contains("<td>FAIL</td>"))
        for check in failedReport.failed { #expect(ConsoleRouteTests.text(failed).contains("<td>\(check.name)</td><td>FAIL</td>")) }
        // Hostile bytes are shown escaped, never as markup.
        let hostile = try Self.upload(auditor, fields: ["csrf": csrf], bundle: Array(ConsoleRouteTests.hostile.utf8))
        #expect(hostile.status.code == 422 && !ConsoleRouteTests.text(hostile).contains("<script>alert"))

        // Refusals: no token, a wrong token, not multipart, an empty file, too big, a role without readAudit.
        #expect(try Self.upload(auditor, fields: [:], bundle: bundle).status.code == 403)
        #expect(try Self.upload(auditor, fields: ["csrf": String(repeating: "0", count: 64)], bundle: bundle).status.code == 403)
        #expect(try auditor.send(.post, "/console/audit/verify", form: ["csrf": csrf]).status.code == 403)
        #expect(try Self.upload(auditor, fields: ["csrf": csrf], bundle: []).status.code == 400)
        let big = [UInt8](repeating: 0x20, count: ConsoleRoutes.maxBundleBytes + 1)
        #expect(try Self.upload(auditor, fields: ["csrf": csrf], bundle: big).status.code == 413)
        let huge = [UInt8](repeating: 0x20, count: ConsoleRoutes.verifyBodyLimit + 1)
        // Over the route's body limit the server answers 413 and closes, possibly before the client has sent it all.
        let answer = try? Self.upload(auditor, fields: ["csrf": csrf], bundle: huge)
        #expect(answer == nil || answer?.status.code == 413)
        let steward = try scenario.browser("c", .steward)
        let stewardToken = try steward.csrf(on: "/console/")
        #expect(try Self.upload(steward, fields: ["csrf": stewardToken], bundle: bundle).status.code == 403)
    }

    @Test func multipartBodiesAreParsedStrictly() throws {
        #expect(ConsoleMultipart.boundary("multipart/form-data; boundary=abc") == "abc")
        #expect(ConsoleMultipart.boundary("multipart/form-data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(ConsoleMultipart.boundary("application/x-www-form-urlencoded") == nil)
        #expect(ConsoleMultipart.boundary("multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
        #expect(ConsoleMultipart.boundary(nil) == nil)
        let good = Array("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--b\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"x.json\"\r\n\r\n{\"a\":\"--b\"}\r\n--b--\r\n".utf8)
        let parts = try ConsoleMultipart.parts(good, boundary: "b")
        #expect(parts == [ConsoleMultipart.Part(name: "csrf", filename: nil, bytes: Array("abc".utf8)),
                          ConsoleMultipart.Part(name: "bundle", filename: "x.json", bytes: Array("{\"a\":\"--b\"}".utf8))])
        let hostile: [String] = [
            "", "garbage", "--b", "--bX", "--b\r\nno header end", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunclosed",
            "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "--b\r\n" + String(repeating: "X", count: 2000) + "\r\n\r\nx\r\n--b--",
            String(repeating: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nx\r\n", count: 9) + "--b--",
        ]
        for body in hostile {
            #expect(throws: ConsoleMultipart.Refusal.self, "\(body.prefix(40))") { try ConsoleMultipart.parts(Array(body.utf8), boundary: "b") }
        }
    }

    @Test func theCountBoundOfAnAgreement() {
        func agreement(_ constraints: [Constraint]) -> Agreement {
            Agreement(id: "a", target: "d", assigner: "p", assignee: "c", timestamp: nil,
                      permission: [Rule(action: "use", constraint: constraints)])
        }
        #expect(ContractUses.limit(agreement([])) == nil)
        #expect(ContractUses.limit(agreement([.atomic("count", "lteq", .string("3"))])) == 3)
        #expect(ContractUses.limit(agreement([.atomic("count", "lt", .string("3")), .atomic("odrl:count", "lteq", .string("5"))])) == 2)
        #expect(ContractUses.limit(agreement([.atomic("purpose", "eq", .string("x"))])) == nil)
    }
}
