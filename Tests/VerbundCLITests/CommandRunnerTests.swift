import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundConnector

@Suite(.offCooperativePool) struct CommandRunnerTests {
    /// A tree with one group and one command that records what it parsed.
    private func runner(record: @escaping @Sendable (ParsedArguments) throws -> Void) -> CommandRunner {
        let echo = Command(
            name: "echo", summary: "print arguments", arguments: "WORD",
            options: [.flag("json", "JSON output"), .value("dir", "DIR", "a folder"), .repeatable("keyword", "K", "a keyword")]
        ) { arguments, console in
            try record(arguments)
            console.out(arguments.positionals.joined(separator: " "))
        }
        return CommandRunner(root: CommandGroup(
            name: "verbund", summary: "test",
            children: [.group(CommandGroup(name: "tool", summary: "tools", children: [.command(echo)]))]))
    }

    @Test func parsesOptionsFlagsAndPositionals() {
        let console = CapturedConsole()
        let status = runner { arguments in
            #expect(arguments.flag("json"))
            #expect(arguments.value("dir") == "/tmp/x")
            #expect(arguments.values("keyword") == ["a", "b"])
        }.run(["tool", "echo", "--json", "--dir=/tmp/x", "--keyword", "a", "hello", "--keyword", "b"], console: console)
        #expect(status == 0)
        #expect(console.standardOutput == "hello")
    }

    @Test func unknownOptionIsUsageErrorNamingIt() {
        let console = CapturedConsole()
        let status = runner { _ in }.run(["tool", "echo", "--nope"], console: console)
        #expect(status == 2)
        #expect(console.standardError.contains("unknown option --nope"))
        #expect(console.standardError.contains("verbund tool echo --help"))
    }

    @Test func missingValueAndRepeatedSingleOption() {
        let console = CapturedConsole()
        #expect(runner { _ in }.run(["tool", "echo", "--dir"], console: console) == 2)
        #expect(console.standardError.contains("--dir needs a value"))
        #expect(runner { _ in }.run(["tool", "echo", "--dir", "a", "--dir", "b"], console: console) == 2)
        #expect(console.standardError.contains("given twice"))
    }

    @Test func helpAtEveryLevel() {
        let console = CapturedConsole()
        #expect(runner { _ in }.run(["--help"], console: console) == 0)
        #expect(console.standardOutput.contains("tool"))
        let commandConsole = CapturedConsole()
        #expect(runner { _ in }.run(["tool", "echo", "--help"], console: commandConsole) == 0)
        #expect(commandConsole.standardOutput.contains("--keyword K..."))
        #expect(commandConsole.standardOutput.contains("Usage: verbund tool echo [options] WORD"))
    }

    @Test func unknownCommandIsUsageError() {
        let console = CapturedConsole()
        #expect(runner { _ in }.run(["tool", "nothing"], console: console) == 2)
        #expect(console.standardError.contains("unknown command 'nothing'"))
        #expect(!console.standardError.contains("Did you mean"))
    }

    @Test func aMistypedCommandGetsTheClosestName() {
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["datsets", "list"], console: console) == 2)
        #expect(console.standardError.contains("unknown command 'datsets'. Did you mean 'verbund datasets'?"))
        let nested = CapturedConsole()
        #expect(VerbundCommandLine.main(["federation", "revok"], console: nested) == 2)
        #expect(nested.standardError.contains("Did you mean 'verbund federation revoke'?"))
        #expect(CommandSuggestion.distance("kitten", "sitting") == 3)
        #expect(CommandSuggestion.closest(to: "xy", among: ["demo", "serve"]) == nil)
    }

    @Test func versionIsPrintedByTheFlagAndTheCommand() {
        for arguments in [["--version"], ["-V"], ["version"]] {
            let console = CapturedConsole()
            #expect(VerbundCommandLine.main(arguments, console: console) == 0)
            #expect(console.standardOutput == "verbund \(ConnectorVersion.current)")
        }
        let json = CapturedConsole()
        #expect(VerbundCommandLine.main(["version", "--json"], console: json) == 0)
        #expect(json.standardOutput.contains(#""version":"\#(ConnectorVersion.current)""#))
    }

    @Test func refusalsExitOne() {
        let console = CapturedConsole()
        let status = runner { _ in throw CLIError.refused("the CSR signature does not verify") }
            .run(["tool", "echo"], console: console)
        #expect(status == 1)
        #expect(console.standardError == "error: the CSR signature does not verify")
    }

    @Test func requiredAndIntegerOptions() throws {
        let parsed = try ParsedArguments(["--days", "400"], specs: [.value("days", "N", ""), .value("dir", "DIR", "")],
                                         commandPath: "verbund x")
        #expect(throws: CLIError.usage("verbund x: --dir is required. Run 'verbund x --help' for details.")) {
            try parsed.required("dir")
        }
        #expect(try parsed.integer("days", default: 365, in: 1...3650) == 400)
        #expect(throws: CLIError.self) { try parsed.integer("days", default: 1, in: 1...10) }
    }
}

/// Every command that prints something a script may want offers `--json`, and with it errors are JSON too (issue 14).
@Suite struct JSONEverywhereTests {
    /// Commands whose output is not data: the daemon, the narrated demo, and raw data streams.
    /// `verbund get` writes the partner API's answer as it came (usually JSON already), never a report of its own.
    static let withoutJSON: Set<String> = ["verbund serve", "verbund demo", "verbund get"]

    static func commands(_ group: CommandGroup, path: String) -> [(path: String, command: Command)] {
        group.children.flatMap { child -> [(path: String, command: Command)] in
            switch child {
            case let .group(inner): return commands(inner, path: path + " " + inner.name)
            case let .command(command): return [(path + " " + command.name, command)]
            }
        }
    }

    @Test func everyCommandButTheDaemonAndTheDemoHasJSON() {
        let all = Self.commands(VerbundCommandLine.root, path: "verbund")
        #expect(all.count > 30)
        for (path, command) in all where !Self.withoutJSON.contains(path) {
            #expect(command.options.contains { $0.name == "json" }, "\(path) has no --json")
        }
    }

    @Test func errorsAreJSONOnStandardErrorWithJSON() throws {
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["status", "--config", "/nonexistent/connector.json", "--json"], console: console) == 1)
        let object = try JSONSerialization.jsonObject(with: Data(console.standardError.utf8)) as? [String: [String: Any]]
        #expect(object?["error"]?["exitStatus"] as? Int == 1)
        #expect((object?["error"]?["message"] as? String)?.contains("does not exist") == true)
        #expect(console.standardOutput.isEmpty)
        let plain = CapturedConsole()
        #expect(VerbundCommandLine.main(["status", "--config", "/nonexistent/connector.json"], console: plain) == 1)
        #expect(plain.standardError.hasPrefix("error: "))
    }

    @Test func adminCommandsPrintOneObjectWithNamedFields() throws {
        let folder = NSTemporaryDirectory() + "verbund-json-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func object(_ arguments: [String]) throws -> [String: Any] {
            let console = CapturedConsole()
            #expect(VerbundCommandLine.main(arguments + ["--json"], console: console) == 0, "\(console.standardError)")
            return try #require(try JSONSerialization.jsonObject(with: Data(console.standardOutput.utf8)) as? [String: Any])
        }
        let created = try object(["federation", "init", "--dir", folder, "--id", "t", "--name", "T"])
        #expect(created["federation"] as? String == "t" && created["registrySerial"] as? Int == 1)
        #expect((created["rootFingerprintSHA256"] as? String)?.count == 64)
        let crl = try object(["federation", "crl", "--dir", folder])
        #expect(crl["entries"] as? Int == 0 && crl["nextUpdate"] is String)
        let rotated = try object(["federation", "rotate-signer", "--dir", folder])
        #expect(rotated["registrySerial"] as? Int == 2 && rotated["signerSerial"] is String)
    }
}
