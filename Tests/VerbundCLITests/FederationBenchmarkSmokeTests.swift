import Foundation
import Synchronization
import Testing
import VerbundTestSupport

/// `verbund-bench federation` at its smallest (3 member daemons, 5 datasets each, 2 s of negotiations): every step
/// runs and is counted, and nothing is left behind. No timing is asserted; the figures live in docs/performance.md.
@Suite(.offCooperativePool) struct FederationBenchmarkSmokeTests {
    /// An executable SwiftPM built next to this test bundle.
    private static func builtExecutable(_ name: String) throws -> String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var candidates = [(runner as NSString).deletingLastPathComponent + "/" + name]
        for bundle in Bundle.allBundles + [Bundle.main] {
            candidates.append((bundle.bundlePath as NSString).deletingLastPathComponent + "/" + name)
        }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                            "\(name) is not built next to the tests (looked at \(candidates)); run swift build first")
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try builtExecutable("verbund-bench"))
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both pipes are read to their end on threads of their own, so a full pipe cannot stall the child and a hung
        // child cannot stall the test past its deadline.
        let standardOutput = CollectedText()
        let standardError = CollectedText()
        for (pipe, text) in [(output, standardOutput), (errors, standardError)] {
            Thread { text.set(String(decoding: (try? pipe.fileHandleForReading.readToEnd()) ?? Data(), as: UTF8.self)) }.start()
        }
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.interrupt() }  // SIGINT: the benchmark kills its children and cleans up
        process.waitUntilExit()
        while !(standardOutput.done && standardError.done), Date() < deadline.addingTimeInterval(10) { Thread.sleep(forTimeInterval: 0.01) }
        return (process.terminationStatus, standardOutput.value, standardError.value)
    }

    /// What a reader thread collected, and whether it reached the end.
    private final class CollectedText: Sendable {
        private let state = Mutex<(text: String, done: Bool)>(("", false))
        func set(_ value: String) { state.withLock { $0 = (value, true) } }
        var value: String { state.withLock { $0.text } }
        var done: Bool { state.withLock { $0.done } }
    }

    private static func benchmarkFolders() -> Set<String> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
        return Set(entries.filter { $0.hasPrefix("verbund-bench-federation-") })
    }

    @Test func threeMembersRunEveryStepAndLeaveNothingBehind() throws {
        let csv = NSTemporaryDirectory() + "verbund-federation-smoke-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let before = Self.benchmarkFolders()
        let result = try Self.run(["federation", "--members", "3", "--datasets", "5", "--seconds", "2", "--workers", "2",
                                   "--poll-seconds", "0.5", "--csv", csv])
        #expect(result.status == 0, "stderr: \(result.errors)")
        #expect(result.output.contains("| measurement | 3 members |"), "\(result.output)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        try #require(lines.count == 2, "\(lines)")
        let row = Dictionary(uniqueKeysWithValues: zip(lines[0].map(String.init), lines[1].map(String.init)))
        #expect(row["members"] == "3")
        #expect(row["crawled_datasets"] == "10")
        #expect(row["negotiations_failed"] == "0")
        #expect(!(row["poll_all_s"] ?? "").isEmpty, "every member took the polled revocation: \(row)")
        #expect(!(row["crawl_gossip_all_s"] ?? "").isEmpty, "every member took the gossiped revocation: \(row)")
        #expect(Double(row["rss_median_mib"] ?? "") ?? 0 > 0)
        // The temp folder (keys, stores, logs) is gone, and so is every daemon that used it.
        #expect(Self.benchmarkFolders().subtracting(before).isEmpty)
    }

    @Test func aFederationOfOneIsRefusedAsAUsageError() throws {
        let result = try Self.run(["federation", "--members", "1"])
        #expect(result.status == 2)
        #expect(result.errors.contains("--members"), "\(result.errors)")
    }
}
