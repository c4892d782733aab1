import Dispatch
import Foundation
import Testing

/// Checkers outside the repository that some tests hand our output to, so that those checks rest on more than our own
/// code: the official DSP 2025-1 schemas, their example files and `tools/dsp-validate` in the team's `shared` folder
/// beside the repository, and Python's joserfc (a JOSE library, installed with pip). A fresh clone on a machine with
/// only the README's prerequisites has none of them, so a check that needs one is skipped with a printed reason while
/// the rest of its test runs; with `VERBUND_REQUIRE_OUTSIDE_CHECKERS=1` (as `.ci/run` sets) a missing checker fails the
/// test instead. It lives in the `VerbundTestSupport` target, which every test target that uses it depends on.
package enum OutsideCheckers {
    package static let requirementVariable = "VERBUND_REQUIRE_OUTSIDE_CHECKERS"

    /// Whether a missing checker is a failure rather than a skipped check.
    package static var areRequired: Bool { ProcessInfo.processInfo.environment[requirementVariable] == "1" }

    /// Whether `check` can run: true when `absence` (why its checker is missing) is nil. Otherwise an issue is recorded
    /// when checkers are required, else the skipped check is printed with its reason.
    package static func mayRun(_ check: String, absence: String?, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let absence else { return true }
        if areRequired {
            Issue.record("\(check): \(absence), and \(requirementVariable)=1 requires it", sourceLocation: sourceLocation)
        } else {
            print("skipped check at \(sourceLocation.fileName):\(sourceLocation.line): \(check): \(absence); "
                + "set \(requirementVariable)=1 to make this a failure")
        }
        return false
    }

    /// For a test that is nothing but `check`: it runs when the checker is there or required (a missing one then fails
    /// through `mayRun`), and is skipped with the reason otherwise.
    package static func trait(_ check: String, absence: String?) -> ConditionTrait {
        .enabled(if: absence == nil || areRequired,
                 Comment(rawValue: "\(check): \(absence ?? ""); set \(requirementVariable)=1 to require it"))
    }

    /// Runs a checker's self-test (at most 30 s); nil when it exits 0, else why it cannot be used: `what` and the last
    /// line it printed (Python's `ModuleNotFoundError …`, say).
    package static func probe(_ executable: URL, _ arguments: [String], what: String) -> String? {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { return "\(what) cannot be started: \(error)" }
        // Self-tests print a few lines, well inside the pipe's buffer, so waiting before reading cannot block them.
        if exited.wait(timeout: .now() + 30) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            return "\(what) did not finish its self-test within 30 s"
        }
        if process.terminationStatus == 0 { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let last = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no output"
        return "\(what) failed its self-test (exit \(process.terminationStatus)): \(last)"
    }
}

/// The team's `shared` folder beside the repository (a sibling of the repository's folder): the official DSP 2025-1
/// schemas with their example files, and `tools/dsp-validate`, which checks a message against those schemas. The
/// repository carries no copies of them.
package enum SharedFolder {
    /// The repository is the first folder above this file that holds `Package.swift`; the shared folder sits beside it.
    package static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1,
              !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("..").appendingPathComponent("shared").standardizedFileURL
    }()

    package static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// Why the file is missing, or nil when it is there.
    package static func absence(_ relativePath: String) -> String? {
        FileManager.default.fileExists(atPath: url(relativePath).path)
            ? nil : "\(url(relativePath).path) not found (no `shared` folder beside the repository)"
    }

    /// The file for `check`, or nil when it is missing (see `OutsideCheckers.mayRun`).
    package static func locate(_ relativePath: String, for check: String,
                       sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        OutsideCheckers.mayRun(check, absence: absence(relativePath), sourceLocation: sourceLocation)
            ? url(relativePath) : nil
    }

    package static let dspValidate = "tools/dsp-validate"

    /// Why `tools/dsp-validate` cannot run here, or nil: it is missing, or its Python packages (jsonschema,
    /// referencing) are, which its `--types` self-test shows. Probed once per test process.
    package static let dspValidateAbsence: String? = absence(dspValidate)
        ?? OutsideCheckers.probe(url(dspValidate), ["--types"], what: url(dspValidate).path)
}
