import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One member's `verbund serve` running as a child process of the federation benchmark: standard output and error go
/// to a log file in the member's folder (the daemon logs JSON lines to standard error), standard input is /dev/null.
/// Its pid is in `ChildRegistry`, so Ctrl-C kills it too. Stopping is two steps, so a hundred daemons stop in parallel:
/// `terminate` (SIGTERM) to all, then `reap` each (SIGKILL once the grace period has passed).
final class MemberDaemon {
    let memberId: String
    let logFile: String
    private let process = Process()
    private let log: FileHandle
    private var reaped = false

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Starts `executable serve --config <configFile> --log-level warning` with `environment` added to ours.
    init(memberId: String, executable: String, configFile: String, logFile: String, environment: [String: String]) throws {
        self.memberId = memberId
        self.logFile = logFile
        guard FileManager.default.createFile(atPath: logFile, contents: nil),
              let log = FileHandle(forWritingAtPath: logFile) else {
            throw BenchError.setup("cannot create the log file \(logFile) for member \(memberId)")
        }
        self.log = log
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--config", configFile, "--log-level", "warning"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            try? log.close()
            throw BenchError.server("cannot start member \(memberId) (\(executable) serve): \(error)")
        }
        ChildRegistry.shared.add(process.processIdentifier)
    }

    deinit {
        terminate()
        reap(grace: .seconds(1))
    }

    /// Asks the daemon to stop (SIGTERM: it drains and exits 0).
    func terminate() {
        if !reaped, process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    /// Waits for the exit until `grace` has passed, then kills; always reaps and closes the log.
    func reap(grace: Duration) {
        guard !reaped else { return }
        reaped = true
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        ChildRegistry.shared.remove(process.processIdentifier)
        try? log.close()
    }

    /// The last lines of the daemon's log, for a report of why it failed.
    func logTail(lines: Int = 4) -> String {
        guard let data = FileManager.default.contents(atPath: logFile), !data.isEmpty else { return "(empty log)" }
        return String(decoding: data.suffix(4000), as: UTF8.self).split(separator: "\n").suffix(lines).joined(separator: " ⏎ ")
    }
}
