import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
@testable import VerbundConnector

/// The alert rules and the Grafana dashboard in docs/monitoring/ name only metrics a connector exposes (a renamed
/// metric would silently disarm an alert), and the rules pass Prometheus' own checker and their unit tests.
@Suite(.serialized, .offCooperativePool) struct MonitoringFilesTests {
    /// docs/monitoring of the repository: the first folder above this file that holds `Package.swift`.
    static let folder: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1,
              !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("docs/monitoring")
    }()

    static func metricNames(in file: String) throws -> Set<String> {
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "verbund_[a-z_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test func rulesAndDashboardNameOnlyExposedMetrics() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try NegotiationTestbed.retryingBind {
            try federation.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        }
        defer { a.stop() }
        let text = String(decoding: try a.management("/metrics", authorized: false).body, as: UTF8.self)
        let declared = Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
        let used = try Self.metricNames(in: "verbund-alerts.yml").union(Self.metricNames(in: "verbund-dashboard.json"))
        #expect(used.count >= 15)
        for name in used.sorted() {
            #expect(declared.contains(name), "docs/monitoring names \(name), which the connector does not expose")
        }
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("verbund-dashboard.json")))
        let panels = (dashboard as? [String: Any])?["panels"] as? [[String: Any]] ?? []
        #expect(panels.count >= 10)
    }

    static let promtool = URL(fileURLWithPath: "/usr/bin/promtool")

    @Test(OutsideCheckers.trait("promtool check rules and test rules", absence: Self.promtoolAbsence))
    func promtoolAcceptsTheRulesAndTheirUnitTests() throws {
        guard OutsideCheckers.mayRun("promtool", absence: Self.promtoolAbsence) else { return }
        for arguments in [["check", "rules", "verbund-alerts.yml"], ["test", "rules", "verbund-alerts.test.yml"]] {
            let process = Process()
            process.executableURL = Self.promtool
            process.arguments = arguments
            process.currentDirectoryURL = Self.folder
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "promtool \(arguments.joined(separator: " ")): \(printed)")
        }
    }

    static var promtoolAbsence: String? {
        FileManager.default.isExecutableFile(atPath: promtool.path)
            ? nil : "promtool is not installed (Debian package prometheus)"
    }
}
