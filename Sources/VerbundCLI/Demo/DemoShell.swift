/// Runs `verbund` subcommands in-process, exactly as a city, the admin or the auditor would type them, through the
/// same `CommandRunner` and command tree as the executable, with a captured console so the steps can read the facts
/// from the output. Every command is shown in the narration before it runs.
struct DemoShell {
    struct Run {
        let arguments: [String]
        let status: Int32
        let out: String
        let err: String

        /// The output and error text, for a mismatch report.
        var seen: String {
            let text = [out, err].filter { !$0.isEmpty }.joined(separator: " / ")
            return "exit \(status)" + (text.isEmpty ? "" : ": " + text.replacingOccurrences(of: "\n", with: " ⏎ "))
        }
    }

    let narrator: Narrator

    /// Runs `arguments` (without `verbund`) and returns what happened, whatever the exit status.
    @discardableResult
    func run(_ arguments: [String], show: Bool = true) -> Run {
        if show { narrator.command(arguments) }
        let console = CapturedConsole()
        let status = CommandRunner(root: VerbundCommandLine.root).run(arguments, console: console)
        return Run(arguments: arguments, status: status, out: console.standardOutput, err: console.standardError)
    }

    /// Runs `arguments` and requires exit status 0.
    @discardableResult
    func succeed(_ arguments: [String], _ purpose: String, show: Bool = true) throws(DemoMismatch) -> Run {
        let result = run(arguments, show: show)
        guard result.status == 0 else { throw DemoMismatch(expected: purpose, seen: result.seen) }
        return result
    }

    /// Runs `arguments` and requires exit status 1 (refused), the outcome the narration predicts.
    @discardableResult
    func refused(_ arguments: [String], _ purpose: String, show: Bool = true) throws(DemoMismatch) -> Run {
        let result = run(arguments, show: show)
        guard result.status == 1 else { throw DemoMismatch(expected: purpose, seen: result.seen) }
        return result
    }
}
