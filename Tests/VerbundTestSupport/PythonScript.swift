import Dispatch
import Foundation

/// Runs a Python script that checks our output with a library that knows nothing of Verbund (rdflib, pyshacl). The
/// script and its input files go into a fresh temporary folder, so nothing large passes through pipes; stdout and
/// stderr go to files there too, so a chatty checker cannot block on a full pipe.
package enum PythonScript {
    package struct Result: Sendable {
        package var status: Int32
        package var output: String
    }

    package struct TimedOut: Error, CustomStringConvertible {
        package var seconds: Int
        package var description: String { "the Python check did not finish within \(seconds) s" }
    }

    /// Why `python3 -c "import <modules>"` fails here (the modules are missing), or nil when they import.
    package static func absence(of modules: [String], install: String) -> String? {
        OutsideCheckers.probe(URL(fileURLWithPath: "/usr/bin/env"),
                              ["python3", "-c", "import " + modules.joined(separator: ", ")],
                              what: "python3 with \(modules.joined(separator: ", ")) (\(install))")
    }

    /// Writes `files` (name → text) and `script` into a temporary folder, runs `python3 script.py <folder>` there (or
    /// `interpreter`, a name on PATH or a path, e.g. a virtual environment's python) and
    /// returns its exit status and combined output; kills it after `timeout` seconds.
    package static func run(_ script: String, files: [String: String], arguments: [String] = [],
                            interpreter: String = "python3", timeout: Int = 120) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verbund-py-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        let scriptURL = folder.appendingPathComponent("check.py")
        try Data(script.utf8).write(to: scriptURL)
        let outputURL = folder.appendingPathComponent("output.txt")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter, scriptURL.path, folder.path] + arguments
        process.standardOutput = output
        process.standardError = output
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if exited.wait(timeout: .now() + .seconds(timeout)) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            throw TimedOut(seconds: timeout)
        }
        let text = String(decoding: (try? Data(contentsOf: outputURL)) ?? Data(), as: UTF8.self)
        return Result(status: process.terminationStatus, output: text)
    }
}
