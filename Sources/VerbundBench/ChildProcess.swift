import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server started as a child process: stdin is a pipe we hold (closing it tells our own server to
/// stop), stdout is read until the child announces its port and then drained in the background so
/// a chatty child never blocks on a full pipe, stderr goes to a log file.
final class ChildProcess {
    let name: String
    let logFile: String
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var stopped = false

    var pid: Int32 { process.processIdentifier }

    /// Starts `executable arguments…` in `directory`.
    init(name: String, executable: String, arguments: [String], directory: String, logFile: String) throws {
        self.name = name
        self.logFile = logFile
        guard FileManager.default.createFile(atPath: logFile, contents: nil),
              let log = FileHandle(forWritingAtPath: logFile) else {
            throw BenchError.setup("cannot create the log file \(logFile) for \(name)")
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw BenchError.server("cannot start \(name) (\(executable)): \(error)")
        }
        ChildRegistry.shared.add(process.processIdentifier)
    }

    deinit { stop() }

    /// Reads stdout lines until `match` returns a value (e.g. the port), within `timeout`.
    func awaitLine<T>(within timeout: Duration, _ match: (String) -> T?) throws -> T {
        let fd = output.fileHandleForReading.fileDescriptor
        let deadline = ContinuousClock.now + timeout
        var pending: [UInt8] = []
        var seen: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if let value = match(line) {
                    drainInBackground()
                    return value
                }
                seen.append(line)
            }
            let remaining = deadline - .now
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            guard remaining > .zero, poll(&descriptor, 1, max(milliseconds, 1)) > 0 else {
                throw BenchError.server("\(name) did not announce its port within \(timeout); "
                    + "its output: \(seen.joined(separator: " | ")); its log: \(logTail())")
            }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw BenchError.server("\(name) exited before announcing its port; "
                    + "its output: \(seen.joined(separator: " | ")); its log: \(logTail())")
            }
            pending += buffer[..<n]
        }
    }

    /// The end of the child's stderr, for error messages (the log file goes away with the temp directory).
    func logTail(maxBytes: Int = 1000) -> String {
        guard let data = FileManager.default.contents(atPath: logFile), !data.isEmpty else { return "(empty)" }
        let text = String(decoding: data.suffix(maxBytes), as: UTF8.self)
        return text.split(separator: "\n").joined(separator: " | ")
    }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning }

    /// Closes stdin, asks the child to end (SIGTERM), kills it after a second, and reaps it.
    func stop() {
        guard !stopped else { return }
        stopped = true
        try? input.fileHandleForWriting.close()
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(1)
            while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
        process.waitUntilExit()
        ChildRegistry.shared.remove(pid)
    }

    private func drainInBackground() {
        // The thread reads its own duplicate, so freeing the `Pipe` (closing the original) can never
        // leave it reading a descriptor number the kernel has handed to another file meanwhile.
        let fd = dup(output.fileHandleForReading.fileDescriptor)
        guard fd >= 0 else { return }
        let thread = Thread {
            defer { Glibc.close(fd) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n == 0 || (n < 0 && errno != EINTR) { return }
            }
        }
        thread.start()
    }
}
