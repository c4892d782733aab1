import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI

/// `verbund demo` end to end: the whole scenario with real child connectors on loopback, as CI runs it.
@Suite(.offCooperativePool) struct DemoTests {
    /// The `verbund` executable SwiftPM built next to this test bundle.
    private static func verbundExecutable() throws -> String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var candidates = [(runner as NSString).deletingLastPathComponent + "/verbund"]
        for bundle in Bundle.allBundles + [Bundle.main] {
            candidates.append((bundle.bundlePath as NSString).deletingLastPathComponent + "/verbund")
        }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                            "the verbund executable is not built next to the tests (looked at \(candidates)); run swift build first")
    }

    @Test func wholeScenarioBehavesAsNarratedAndCleansUp() throws {
        let executable = try Self.verbundExecutable()
        let folder = NSTemporaryDirectory() + "verbund-demo-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let console = CapturedConsole()
        let began = ContinuousClock.now
        do {
            try DemoRun.execute(executable: executable, keep: folder, console: console, handleSignals: false)
        } catch {
            Issue.record("the demo failed: \(error)\n\(console.standardOutput)")
            return
        }
        let output = console.standardOutput
        #expect(output.contains("✔ All "), "\(output)")
        #expect(!output.contains("✘"), "\(output)")
        // The live API step pastes as a shell command: its `$top` and `(1)` are quoted.
        #expect(output.contains("--allow-query '$top'") && output.contains("'/Datastreams(1)/Observations'"), "\(output)")
        #expect(output.contains("live values read twice through Weimar's connector"), "\(output)")
        #expect(ContinuousClock.now - began < .seconds(60))
        // Every child connector was stopped in an orderly way (its last log line), and none is left running.
        for city in DemoCity.all {
            let log = try String(contentsOfFile: folder + "/cities/\(city.id)/verbund.log", encoding: .utf8)
            #expect(log.contains("\"event\":\"connector.stopped\""), "\(city.id) did not log its stop")
        }
    }

    /// A connector that does not come up fails its step with expected-versus-seen, exit 1, and nothing left behind.
    @Test func aStepThatMisbehavesFailsTheRun() throws {
        let folder = NSTemporaryDirectory() + "verbund-demo-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let console = CapturedConsole()
        #expect(throws: CLIError.self) {
            try DemoRun.execute(executable: "/bin/false", keep: folder, console: console, handleSignals: false)
        }
        let output = console.standardOutput
        #expect(output.contains("✘ expected: jena's connector to keep running"), "\(output)")
        #expect(output.contains("✘ Step 4 did not behave as narrated"), "\(output)")
        #expect(!output.contains("✔ All"))
    }

    @Test func keepRefusesAFolderWithFiles() throws {
        let folder = NSTemporaryDirectory() + "verbund-demo-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/old.txt", contents: Data("x".utf8))
        let console = CapturedConsole()
        let status = VerbundCommandLine.main(["demo", "--keep", folder], console: console)
        #expect(status == 1)
        #expect(console.standardError.contains("already has files"))
    }

    @Test func demoTakesNoArguments() {
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["demo", "extra"], console: console) == 2)
        #expect(VerbundCommandLine.main(["demo", "--port", "1"], console: console) == 2)
    }
}
