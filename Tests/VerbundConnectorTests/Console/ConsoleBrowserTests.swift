import Dispatch
import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
@testable import VerbundConnector

/// The console in a real browser: headless Chromium through chromedriver, driven by Selenium in
/// scripts/console-browser.py, against a connector on loopback; axe-core (from axe-selenium-python) checks every page
/// against WCAG A/AA. Missing checkers skip with a reason unless VERBUND_REQUIRE_OUTSIDE_CHECKERS=1
/// (scripts/ci-console.sh installs them).
@Suite(.offCooperativePool) struct ConsoleBrowserTests {
    static let python = URL(fileURLWithPath: "/usr/bin/env")

    static let browserAbsence: String? = {
        for path in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: path) {
            return "\(path) is not installed (scripts/ci-console.sh installs it)"
        }
        return OutsideCheckers.probe(python, ["python3", "-c", "import selenium"], what: "python3 with selenium")
    }()

    /// The script's folder: the repository holds Package.swift above this file.
    static let script: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1,
              !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("scripts/console-browser.py")
    }()

    /// Runs `arguments` with a deadline; the exit status (nil on timeout) and everything printed.
    static func run(_ arguments: [String], seconds: Int) throws -> (status: Int32?, output: String) {
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        // A file, not a pipe: a chatty browser cannot stall on a full pipe nobody reads.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("console-browser-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let timedOut = exited.wait(timeout: .now() + .seconds(seconds)) == .timedOut
        if timedOut {
            process.terminate()
            process.waitUntilExit()
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (timedOut ? nil : process.terminationStatus, text)
    }

    /// Where the screenshots go: docs/console/ in the repository (docs/console.md shows them).
    static let screenshots = script.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/console")

    @Test(OutsideCheckers.trait("console in headless Chromium", absence: browserAbsence))
    func twoConsolesPublishNegotiateVerifyAndPassAxe() throws {
        guard OutsideCheckers.mayRun("console in headless Chromium", absence: Self.browserAbsence) else { return }
        // Provider p (Jena) and consumer c (Weimar): both in Thüringen, so the region policy "16" lets c in.
        let fixture = try FederationFixture(members: ["p", "c"], ags: ["p": "16053000", "c": "16071000"])
        // The provider also serves the public transparency page (`publicListen`), which the script checks at the end.
        let provider = try fixture.start("p", modules: ConnectorModules.all(limits: ConnectorLimits()),
                                         adjust: { $0.publicListen = "127.0.0.1:0" })
        defer { provider.stop() }
        let consumer = try fixture.start("c", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { consumer.stop() }
        var accounts: [String: [String: [String]]] = [:]
        for (side, running) in [("provider", provider), ("consumer", consumer)] {
            let store = AccountStore(database: running.context.database, iterations: 1000)
            for role in AccountRole.allCases {
                let secret = try AccountStore.generateSecret()
                _ = try store.add("\(side).\(role.rawValue)", role: role, secret: secret, now: Date())
                accounts[side, default: [:]][role.rawValue] = ["\(side).\(role.rawValue)", secret]
            }
        }
        try CatalogHarness.insert(provider, [CatalogHarness.record("urn:uuid:browser", title: ConsoleRouteTests.hostile)])
        let work = TemporaryFolder("console-browser")
        let file = try CatalogHarness.dataFile(work, "parkhaeuser.csv", "parkhaus;frei\nNeutor;112\nGoethe-Galerie;48\n")
        let publicPort = try #require(provider.connector.publicPort)
        // What the public page must never show: every credential and account, and every path of either connector.
        let providerConfiguration = try fixture.configuration("p")
        var secrets = [provider.connector.managementToken.value, consumer.connector.managementToken.value, file, work.path,
                       providerConfiguration.keyFile, providerConfiguration.certificateFile, providerConfiguration.dataDirectory,
                       fixture.root.path, "PRIVATE KEY", "Bearer", ConsoleRouteTests.hostile]
        for side in accounts.values { for pair in side.values { secrets += pair } }
        let setup: [String: Any] = [
            "provider": "http://127.0.0.1:\(provider.connector.managementPort)",
            "consumer": "http://127.0.0.1:\(consumer.connector.managementPort)", "providerId": "p", "accounts": accounts,
            "file": file, "consumerToken": consumer.connector.managementToken.value, "work": work.path,
            "public": "http://127.0.0.1:\(publicPort)", "consumerName": "Stadt c", "secrets": secrets,
        ]
        let setupFile = work.file("setup.json")
        try JSONSerialization.data(withJSONObject: setup).write(to: URL(fileURLWithPath: setupFile))

        var arguments = [Self.script.path, setupFile]
        let axe = try Self.run(["python3", "-c", "import axe_selenium_python, os; "
            + "print(os.path.join(os.path.dirname(axe_selenium_python.__file__), 'node_modules/axe-core/axe.min.js'))"], seconds: 30)
        let axePath = axe.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let axeAbsence = axe.status == 0 && FileManager.default.fileExists(atPath: axePath) ? nil
            : "axe-core is not installed (pip install axe-selenium-python; scripts/ci-console.sh)"
        if OutsideCheckers.mayRun("axe-core accessibility check of the console", absence: axeAbsence) {
            arguments += ["--axe", axePath]
        }
        // Screenshots only on request (VERBUND_CONSOLE_SCREENSHOTS=1): they are committed, not rewritten by every run.
        if ProcessInfo.processInfo.environment["VERBUND_CONSOLE_SCREENSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
            arguments += ["--screenshots", Self.screenshots.path]
        }
        let result = try Self.run(["python3"] + arguments, seconds: 240)
        print(result.output)
        #expect(result.status == 0, "scripts/console-browser.py: \(result.status.map { "exit \($0)" } ?? "timed out after 240 s")\n\(result.output)")
        #expect(result.output.contains("ok   every step"))
        // What the browser did is what the connectors hold.
        let published = try CatalogStore(database: provider.context.database).all()
        #expect(published.contains { $0.record.title == "Parkhausbelegung Jena" } && !published.contains { $0.record.title == "Gefälscht" })
    }
}
