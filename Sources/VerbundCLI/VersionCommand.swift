import VerbundConnector

/// `verbund version` (and `verbund --version`): which release this binary is, for a bug report or a package check.
enum VersionCommand {
    /// The one line `--version` prints, in the form `dpkg` and most server software use: program, version.
    static var line: String { "verbund \(ConnectorVersion.current)" }

    static var command: Command {
        Command(
            name: "version",
            summary: "print the release of this binary",
            discussion: "Also `verbund --version`. Example: verbund version --json",
            options: [.flag("json", "Print {\"version\": …, \"protocol\": …} as JSON.")]
        ) { arguments, console in
            if arguments.flag("json") {
                console.out(#"{"protocol":"DSP 2025-1","version":"\#(ConnectorVersion.current)"}"#)
            } else {
                console.out(line)
            }
        }
    }
}
