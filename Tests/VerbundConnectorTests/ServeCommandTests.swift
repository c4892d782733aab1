import Foundation
import Testing
import VerbundTestSupport
import VerbundCLI
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// `verbund serve` as a child process, and the CLI's management client.
@Suite(.offCooperativePool) struct ServeCommandTests {
    @Test func serveAnswersHealthAndExitsZeroOnSIGTERM() throws {
        let federation = try FederationFixture(members: ["a"])
        let executable = try ExecutableLocator.verbund()
        let configurationFile = federation.members["a"]!.configurationFile
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--log-level", "debug"]
        var environment = ProcessInfo.processInfo.environment
        environment["VERBUND_CONFIG"] = configurationFile
        process.environment = environment
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        defer { if process.isRunning { process.interrupt() } }

        // Management port 0 in the fixture: the daemon records the port it got.
        let portFile = federation.members["a"]!.folder + "/data/" + Connector.managementPortFileName
        var health: HTTPClientResponse?
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, health == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = UInt16(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                health = try? HTTPClient().send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/healthz"))
            }
            if health == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let answer = try #require(health, "verbund serve did not answer /healthz within 10 s")
        #expect(answer.status.code == 200)
        let report = try ManagementJSON.decoder().decode(HealthReport.self, from: Data(answer.body))
        #expect(report.member == "a" && report.status == "ok")

        // The CLI talks to it through the token file and the configuration.
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["status", "--config", configurationFile, "--json"], console: console) == 0)
        let status = try ManagementJSON.decoder().decode(StatusReport.self, from: Data(console.standardOutput.utf8))
        #expect(status.health.member == "a")
        let text = CapturedConsole()
        #expect(VerbundCommandLine.main(["status", "--config", configurationFile], console: text) == 0)
        #expect(text.standardOutput.contains("member a (urn:verbund:testfed:a): ok"))

        process.terminate()  // SIGTERM
        let stopDeadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < stopDeadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(!process.isRunning, "verbund serve did not stop within 10 s of SIGTERM")
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("\"event\":\"connector.started\""))
        #expect(log.contains("\"event\":\"connector.stopped\""))
        // Every line on stderr is one JSON object.
        for line in log.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not JSON: \(line)")
        }
    }

    @Test func serveRefusesABadConfigurationWithExitOne() throws {
        let federation = try FederationFixture(members: ["a"])
        var configuration = try federation.configuration("a")
        configuration.management = "0.0.0.0:0"
        configuration.endpoint = "ftp://x"
        let file = federation.members["a"]!.folder + "/bad.json"
        try Data(try configuration.encoded()).write(to: URL(fileURLWithPath: file))
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["serve", "--config", file], console: console) == 1)
        #expect(console.standardError.contains("management:"))
        #expect(console.standardError.contains("endpoint:"))
        let missing = CapturedConsole()
        #expect(VerbundCommandLine.main(["serve", "--config", "/nonexistent/connector.json"], console: missing) == 1)
        #expect(VerbundCommandLine.main(["serve", "--log-level", "loud", "--config", file], console: CapturedConsole()) == 2)
    }

    /// A second `serve` on the same ports says once that the address is in use and hints at the running one.
    @Test func aPortInUseIsSaidOnceWithAHint() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try NegotiationTestbed.retryingBind { try federation.start("a") }
        defer { a.stop() }
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["serve", "--config", federation.members["a"]!.configurationFile], console: console) == 1)
        let text = console.standardError
        #expect(text.contains("(listen) is already in use: is another `verbund serve` running"), "\(text)")
        #expect(text.components(separatedBy: "in use").count == 2, "said more than once: \(text)")
        #expect(!text.contains("a listener: a listener"))
    }

    @Test func statusWithoutARunningDaemonExplainsWhy() throws {
        let federation = try FederationFixture(members: ["a"])
        let file = federation.members["a"]!.configurationFile
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["status", "--config", file], console: console) == 1)
        #expect(console.standardError.contains("verbund serve"))
        // With a running connector but a wrong token file, the refusal says so.
        let a = try federation.start("a")
        defer { a.stop() }
        var configuration = try federation.configuration("a")
        configuration.management = "127.0.0.1:\(a.connector.managementPort)"
        let client = ManagementClient(host: "127.0.0.1", port: a.connector.managementPort,
                                      token: ManagementToken(value: String(repeating: "f", count: 64)))
        #expect(throws: CLIError.self) { try client.get("/api/status", as: StatusReport.self) }
        let good = ManagementClient(host: "127.0.0.1", port: a.connector.managementPort, token: a.connector.managementToken)
        #expect(try good.get("/api/status", as: StatusReport.self).health.member == "a")
    }
}
