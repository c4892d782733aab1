import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// `verbund accounts add|list|remove|reset` on a member's state database, and the secrets it prints used against the
/// running daemon — with the HTTP client and, as the docs show, with curl.
@Suite(.offCooperativePool) struct AccountCommandTests {
    private func run(_ arguments: [String], config: String, exit: Int32 = 0) -> CapturedConsole {
        let console = CapturedConsole()
        let status = VerbundCommandLine.main(["accounts"] + arguments + ["--config", config], console: console)
        #expect(status == exit, "accounts \(arguments): \(console.standardError)")
        return console
    }

    private func issued(_ console: CapturedConsole) throws -> AccountCommands.Issued {
        try JSONDecoder().decode(AccountCommands.Issued.self, from: Data(console.standardOutput.utf8))
    }

    private func status(_ running: RunningConnector, _ name: String, _ secret: String) throws -> Int {
        let headers: HTTPHeaders = ["Authorization": AccountAccessTests.basic(name, secret)]
        return try HTTPClient().send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: running.connector.managementPort,
                                                       target: "/api/status", headers: headers)).status.code
    }

    @Test func addListResetRemoveAgainstTheRunningDaemon() throws {
        let fixture = try FederationFixture(members: ["a"])
        let config = fixture.members["a"]!.configurationFile
        // Before the daemon ever ran: the state database is made as `verbund serve` would make it.
        let steward = try issued(run(["add", "kaemmerei.meier", "--role", "steward", "--json"], config: config))
        #expect(steward.account == Account(name: "kaemmerei.meier", role: .steward) && steward.secret.utf8.count == 48)
        let text = run(["add", "pruefer", "--role", "auditor"], config: config)
        let secretLine = try #require(text.standardOutput.split(separator: "\n").first { $0.hasPrefix("secret  ") })
        let auditorSecret = String(secretLine.dropFirst("secret  ".count))
        #expect(text.standardOutput.contains("curl -u pruefer:SECRET"))
        #expect(text.standardOutput.components(separatedBy: auditorSecret).count == 2, "the secret is printed once")

        let listed = run(["list", "--json"], config: config)
        let accounts = try JSONDecoder().decode([String: [Account]].self, from: Data(listed.standardOutput.utf8))
        #expect(accounts["accounts"] == [Account(name: "kaemmerei.meier", role: .steward), Account(name: "pruefer", role: .auditor)])
        #expect(!listed.standardOutput.contains(steward.secret) && !listed.standardOutput.contains("pbkdf2"))
        let table = run(["list"], config: config).standardOutput
        #expect(table.hasPrefix("NAME") && table.contains("kaemmerei.meier  steward"), "\(table)")

        // The modules `verbund serve` runs: the CLI migrated the database for them.
        let running = try fixture.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        defer { running.stop() }
        #expect(try status(running, "kaemmerei.meier", steward.secret) == 200)
        #expect(try status(running, "pruefer", auditorSecret) == 200)
        // While the daemon runs: a reset takes effect on the next request.
        let renewed = try issued(run(["reset", "kaemmerei.meier", "--json"], config: config))
        #expect(renewed.account.role == .steward && renewed.secret != steward.secret)
        #expect(try status(running, "kaemmerei.meier", steward.secret) == 401)
        #expect(try status(running, "kaemmerei.meier", renewed.secret) == 200)
        #expect(run(["remove", "kaemmerei.meier", "--json"], config: config).standardOutput.contains("\"removed\""))
        #expect(try status(running, "kaemmerei.meier", renewed.secret) == 401)
        #expect(try status(running, "pruefer", auditorSecret) == 200)
        // The token file still works as operator (the CLI's own commands use it).
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["status", "--config", config, "--json"], console: console) == 0, "\(console.standardError)")
        // No secret reaches the daemon's log.
        let log = running.log.all.joined(separator: "\n")
        for secret in [steward.secret, renewed.secret, auditorSecret] { #expect(!log.contains(secret)) }

        // curl -u, as docs/management-api.md shows it (an outside checker).
        let curl = "/usr/bin/curl"
        let absence = FileManager.default.isExecutableFile(atPath: curl) ? nil : "curl is not installed"
        if OutsideCheckers.mayRun("curl -u against the management API", absence: absence) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl)
            process.arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-u", "pruefer:" + auditorSecret,
                                 "http://127.0.0.1:\(running.connector.managementPort)/api/audit/sth"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let code = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(code == "200", "curl answered \(code)")
        }
    }

    @Test func wrongUsageAndRefusals() throws {
        let fixture = try FederationFixture(members: ["a"])
        let config = fixture.members["a"]!.configurationFile
        #expect(run(["add", "x.y", "--role", "admin"], config: config, exit: 2).standardError.contains("operator, steward, auditor, viewer"))
        #expect(run(["add", "--role", "viewer"], config: config, exit: 2).standardError.contains("NAME"))
        #expect(run(["add", "Mit Leerzeichen", "--role", "viewer"], config: config, exit: 1).standardError.contains("no account name"))
        #expect(run(["add", "management.token", "--role", "viewer"], config: config, exit: 1).standardError.contains("token file"))
        _ = run(["add", "doppelt", "--role", "viewer"], config: config)
        #expect(run(["add", "doppelt", "--role", "operator"], config: config, exit: 1).standardError.contains("exists already"))
        #expect(run(["remove", "niemand"], config: config, exit: 1).standardError.contains("no account 'niemand'"))
        let json = run(["reset", "niemand", "--json"], config: config, exit: 1)
        let error = try JSONSerialization.jsonObject(with: Data(json.standardError.utf8)) as? [String: [String: Any]]
        #expect((error?["error"]?["message"] as? String)?.contains("no account") == true)
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["accounts", "list", "--config", "/nonexistent/connector.json"], console: console) == 1)
        // Only the data directory's owner may write the state database.
        #expect(AccountCommands.ownerProblem(directory: "/var/lib/verbund", owner: 4242, caller: 4242) == nil)
        let problem = AccountCommands.ownerProblem(directory: "/var/lib/verbund", owner: 0, caller: 4242) ?? ""
        #expect(problem.contains("belongs to root") && problem.contains("sudo -u root"))
        let help = CapturedConsole()
        #expect(VerbundCommandLine.main(["accounts", "add", "--help"], console: help) == 0)
        #expect(help.standardOutput.contains("--role ROLE") && help.standardOutput.contains("curl -u NAME:SECRET"))
    }
}
