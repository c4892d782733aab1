import Foundation

/// Tells the demo's story on the console: numbered steps in plain words, the commands a city or the admin would type,
/// the key facts, ✔ or ✘ per step with expected-versus-seen on failure, and a summary line.
final class Narrator {
    private let console: any Console
    private let workspace: DemoWorkspace
    private let began = ContinuousClock.now
    private(set) var stepsRun = 0
    private(set) var stepsPassed = 0
    private(set) var failure: (step: Int, title: String, mismatch: DemoMismatch)?

    init(console: any Console, workspace: DemoWorkspace) {
        self.console = console
        self.workspace = workspace
    }

    func headline(_ text: String) {
        console.out(text)
    }

    /// Runs one step: prints its number and title, lets `body` narrate, then prints ✔ with the outcome `body` returns,
    /// or ✘ with what was expected and what was seen. A failed step ends the scenario (rethrows).
    func step(_ title: String, _ body: () throws -> String) throws {
        stepsRun += 1
        let number = stepsRun
        console.out("")
        console.out("\(number < 10 ? " " : "")\(number). \(title)")
        do {
            let outcome = try body()
            stepsPassed += 1
            console.out("    ✔ \(outcome)")
        } catch let mismatch as DemoMismatch {
            fail(number, title, mismatch)
            throw mismatch
        } catch {
            let mismatch = DemoMismatch(expected: "the step to run", seen: "\(error)")
            fail(number, title, mismatch)
            throw mismatch
        }
    }

    /// A fact inside the current step.
    func fact(_ text: String) {
        console.out("      " + text)
    }

    /// The command line a city, the admin or the auditor would type, with the demo folder's prefix left out.
    func command(_ arguments: [String]) {
        let words = arguments.map { argument -> String in
            let short = workspace.short(argument)
            // Quoted as a POSIX shell needs it, so a narrated command can be pasted: `$top` and `(1)` stay literal.
            let special = CharacterSet(charactersIn: " $()'\"`\\*?[]{};&|<>!#~")
            guard short.isEmpty || short.rangeOfCharacter(from: special) != nil else { return short }
            if !short.contains("'") { return "'\(short)'" }
            return "\"" + short.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "$", with: "\\$").replacingOccurrences(of: "`", with: "\\`") + "\""
        }
        console.out("      $ verbund " + words.joined(separator: " "))
    }

    /// The closing lines: the summary and where the files are.
    func summary(cleanup: String) {
        let seconds = (ContinuousClock.now - began).demoSeconds
        console.out("")
        if let failure {
            console.out("✘ Step \(failure.step) did not behave as narrated; the \(stepsPassed) step\(stepsPassed == 1 ? "" : "s") "
                        + "before it did. Took \(String(format: "%.1f", seconds)) s.")
        } else {
            console.out("✔ All \(stepsPassed) steps behaved as narrated in \(String(format: "%.1f", seconds)) s.")
        }
        console.out(cleanup)
    }

    /// A failure between steps (e.g. preparing the folder): reported like a failed step, so the run cannot pass.
    func recordOutsideStep(_ error: any Error) {
        let mismatch = error as? DemoMismatch ?? DemoMismatch(expected: "the demo to run", seen: "\(error)")
        fail(stepsRun + 1, "preparing the next step", mismatch)
    }

    private func fail(_ number: Int, _ title: String, _ mismatch: DemoMismatch) {
        failure = (number, title, mismatch)
        console.out("    ✘ expected: \(mismatch.expected)")
        console.out("      seen:     \(mismatch.seen)")
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var demoSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
