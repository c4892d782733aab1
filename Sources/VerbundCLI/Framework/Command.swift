/// A leaf subcommand: its help text, its options and what it does.
package struct Command: Sendable {
    package let name: String
    /// One line for the group listing.
    package let summary: String
    /// Positional arguments in the synopsis, e.g. "ID" or "BUNDLE.json".
    package let arguments: String
    /// Longer explanation shown by `--help`, with an example.
    package let discussion: String
    package let options: [OptionSpec]
    package let run: @Sendable (ParsedArguments, any Console) throws -> Void

    package init(
        name: String, summary: String, arguments: String = "", discussion: String = "",
        options: [OptionSpec] = [], run: @escaping @Sendable (ParsedArguments, any Console) throws -> Void
    ) {
        self.name = name
        self.summary = summary
        self.arguments = arguments
        self.discussion = discussion
        self.options = options
        self.run = run
    }

    func help(path: String) -> String {
        var lines = ["\(path) — \(summary)", ""]
        var synopsis = "Usage: \(path)"
        if !options.isEmpty { synopsis += " [options]" }
        if !arguments.isEmpty { synopsis += " \(arguments)" }
        lines.append(synopsis)
        if !discussion.isEmpty { lines += ["", discussion] }
        lines += ["", "Options:"]
        let rows = options.map { ($0.synopsis, $0.help) } + [("--help", "Show this help.")]
        let width = rows.map(\.0.count).max() ?? 0
        for (left, right) in rows {
            lines.append("  " + left.padding(toLength: width + 2, withPad: " ", startingAt: 0) + right)
        }
        lines += ["", "Exit status: 0 done, 1 refused or failed, 2 wrong usage."]
        return lines.joined(separator: "\n")
    }
}

/// A named group of subcommands, e.g. `verbund federation …`.
package struct CommandGroup: Sendable {
    package let name: String
    package let summary: String
    package let children: [CommandNode]

    package init(name: String, summary: String, children: [CommandNode]) {
        self.name = name
        self.summary = summary
        self.children = children
    }

    func help(path: String) -> String {
        var lines = ["\(path) — \(summary)", "", "Usage: \(path) <command> [options]", "", "Commands:"]
        let width = children.map(\.name.count).max() ?? 0
        for child in children {
            lines.append("  " + child.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + child.summary)
        }
        lines += ["", "Run '\(path) <command> --help' for a command's options."]
        return lines.joined(separator: "\n")
    }
}

package enum CommandNode: Sendable {
    case command(Command)
    case group(CommandGroup)

    package var name: String {
        switch self {
        case let .command(command): return command.name
        case let .group(group): return group.name
        }
    }

    package var summary: String {
        switch self {
        case let .command(command): return command.summary
        case let .group(group): return group.summary
        }
    }
}
