import Foundation

/// Finds the subcommand an argument list names, runs it, and turns its outcome into an exit status.
package struct CommandRunner: Sendable {
    package let root: CommandGroup

    package init(root: CommandGroup) {
        self.root = root
    }

    /// Runs `arguments` (without the program name) and returns the exit status.
    package func run(_ arguments: [String], console: any Console) -> Int32 {
        var node = CommandNode.group(root)
        var path = root.name
        var remaining = arguments[...]
        while case let .group(group) = node {
            guard let word = remaining.first else {
                console.out(group.help(path: path))
                return path == root.name ? 0 : 2
            }
            if word == "--help" || word == "-h" || word == "help" {
                console.out(group.help(path: path))
                return 0
            }
            if path == root.name, word == "--version" || word == "-V" {
                console.out(VersionCommand.line)
                return 0
            }
            guard let child = group.children.first(where: { $0.name == word }) else {
                let hint = CommandSuggestion.closest(to: word, among: group.children.map(\.name))
                    .map { " Did you mean '\(path) \($0)'?" } ?? ""
                console.err("\(path): unknown command '\(word)'.\(hint) Run '\(path) --help' for the commands.")
                return 2
            }
            node = child
            path += " " + word
            remaining = remaining.dropFirst()
        }
        guard case let .command(command) = node else { return 2 }
        if remaining.contains("--help") || remaining.contains("-h") {
            console.out(command.help(path: path))
            return 0
        }
        // With --json a script reads the error as JSON on stderr too: {"error": {"message": …, "exitStatus": …}}.
        let jsonErrors = remaining.contains("--json") && command.options.contains { $0.name == "json" }
        do {
            let parsed = try ParsedArguments(Array(remaining), specs: command.options, commandPath: path)
            try command.run(parsed, console)
            return 0
        } catch let error as CLIError {
            report(error.description, exitStatus: error.exitStatus, json: jsonErrors, console: console)
            return error.exitStatus
        } catch {
            report(String(describing: error), exitStatus: 1, json: jsonErrors, console: console)
            return 1
        }
    }

    private func report(_ message: String, exitStatus: Int32, json: Bool, console: any Console) {
        if json {
            let object: [String: [String: Any]] = ["error": ["message": message, "exitStatus": Int(exitStatus)]]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            console.err(TerminalText.json(String(decoding: data, as: UTF8.self)))
        } else {
            // Errors may quote peers; each line is made inert (our own messages keep their line breaks).
            console.err("error: \(TerminalText.shownLines(message))")
        }
    }
}
