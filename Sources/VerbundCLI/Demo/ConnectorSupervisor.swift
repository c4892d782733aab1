import Foundation
import Synchronization
import VerbundHTTP
import VerbundTransport

/// Runs the cities' connectors as child processes (`verbund serve`, from the running executable), waits until each
/// answers `/healthz`, and always stops them: SIGTERM, then SIGKILL after a grace period. The demo calls `stopAll`
/// on success, on a failed step and from its SIGINT/SIGTERM handler.
final class ConnectorSupervisor: Sendable {
    private struct Child: @unchecked Sendable {
        // Process and FileHandle are used only under the lock below.
        let process: Process
        let log: FileHandle
    }

    /// The `verbund` executable the children run.
    let executable: String
    private let children = Mutex<[String: Child]>([:])

    init(executable: String) {
        self.executable = executable
    }

    /// Starts `verbund <arguments>` for `city` with its standard output and error appended to `logFile`.
    func start(_ city: DemoCity, arguments: [String], logFile: String) throws(DemoMismatch) -> Int32 {
        guard FileManager.default.createFile(atPath: logFile, contents: nil),
              let log = FileHandle(forWritingAtPath: logFile) else {
            throw DemoMismatch(expected: "to create the log file \(logFile)", seen: "it cannot be created")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            try? log.close()
            throw DemoMismatch(expected: "to start \(executable) \(arguments.joined(separator: " "))", seen: "\(error)")
        }
        children.withLock { $0[city.id] = Child(process: process, log: log) }
        return process.processIdentifier
    }

    /// Waits until the child records the management port it was given (`management` is port 0 in the demo, so the
    /// system picks a free one and no other process can take it between choosing and binding).
    func managementPort(_ city: DemoCity, portFile: String, logFile: String,
                        timeout: Duration = .seconds(30)) throws(DemoMismatch) -> UInt16 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
               let port = UInt16(text.trimmingCharacters(in: .whitespacesAndNewlines)), port != 0 {
                return port
            }
            guard isRunning(city) else {
                throw DemoMismatch(expected: "\(city.id)'s connector to keep running",
                                   seen: "it exited; the end of its log: \(Self.tail(of: logFile))")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw DemoMismatch(expected: "\(city.id)'s connector to listen within \(timeout)",
                           seen: "no \(portFile); the end of its log: \(Self.tail(of: logFile))")
    }

    /// Polls `GET /healthz` on the city's management port until it answers 200, the child exits, or `timeout` passes.
    /// Returns the registry serial the connector holds.
    func waitUntilHealthy(_ city: DemoCity, managementPort: UInt16, logFile: String,
                          timeout: Duration = .seconds(30)) throws(DemoMismatch) -> UInt64 {
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(1), responseHeadTimeout: .seconds(2)))
        let deadline = ContinuousClock.now + timeout
        var lastProblem = "no answer yet"
        while ContinuousClock.now < deadline {
            guard isRunning(city) else {
                throw DemoMismatch(expected: "\(city.id)'s connector to keep running",
                                   seen: "it exited; the end of its log: \(Self.tail(of: logFile))")
            }
            do {
                let response = try client.send(HTTPClientRequest(host: "127.0.0.1", port: managementPort, target: "/healthz"))
                if response.status.code == 200, let health = try? JSONDecoder().decode(Health.self, from: Data(response.body)) {
                    return health.registrySerial
                }
                lastProblem = "/healthz answered \(response.status.code)"
            } catch {
                lastProblem = "\(error)"
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw DemoMismatch(expected: "\(city.id)'s connector to answer /healthz within \(timeout)",
                           seen: "\(lastProblem); the end of its log: \(Self.tail(of: logFile))")
    }

    func isRunning(_ city: DemoCity) -> Bool {
        children.withLock { $0[city.id]?.process.isRunning ?? false }
    }

    /// The ids of the cities whose connector runs now.
    var running: [String] {
        children.withLock { $0.filter { $0.value.process.isRunning }.map(\.key).sorted() }
    }

    /// Stops every child: SIGTERM to all at once (each drains and exits), SIGKILL for any still running after `grace`.
    /// Safe to call more than once and from the signal handler.
    func stopAll(grace: Duration = .seconds(5)) {
        let all = children.withLock { children -> [Child] in
            defer { children.removeAll() }
            return Array(children.values)
        }
        for child in all where child.process.isRunning { child.process.terminate() }
        let deadline = ContinuousClock.now + grace
        for child in all {
            while child.process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) }
            child.process.waitUntilExit()
            try? child.log.close()
        }
    }

    /// The last lines of a child's log, for a report of why it did not come up.
    static func tail(of logFile: String, lines: Int = 4) -> String {
        guard let data = FileManager.default.contents(atPath: logFile), !data.isEmpty else { return "(empty)" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").suffix(lines).joined(separator: " ⏎ ")
    }

    private struct Health: Decodable {
        let status: String
        let registrySerial: UInt64
    }
}
