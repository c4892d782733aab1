import Foundation
import VerbundConnector

/// `verbund datasets refresh ID` and the refresh lines of `verbund datasets list` (docs/operator.md, "Files that
/// change").
enum DatasetRefreshCommand {
    static var refresh: Command {
        Command(
            name: "refresh", summary: "read a dataset's source file again and publish it as a new version if it changed",
            arguments: "ID",
            discussion: """
                Transfers already started finish on the version they started with; new transfers get the new version.
                An unchanged source is a no-op. A missing or unreadable source is an error and the last good version
                stays published.
                Example: verbund datasets refresh parken
                """,
            options: [CatalogCommands.configOption, .flag("json", "Print the outcome as JSON.")]
        ) { arguments, console in
            let id = try arguments.expectPositionals(["ID"])[0]
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let encoded = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
            let response = try client.send(.post, "/api/catalog/datasets/" + encoded + "/refresh")
            let outcome = try client.decode(response, as: RefreshOutcome.self)
            if arguments.flag("json") {
                console.out(TerminalText.json(String(decoding: response.body, as: UTF8.self)))
                return
            }
            console.out(TerminalText.shown("\(outcome.dataset): \(outcome.message)"))
            console.out("  version  \(TerminalText.shown(outcome.version)) (\(outcome.byteSize) bytes)")
            if let previous = outcome.previous { console.out("  previous \(TerminalText.shown(previous))") }
        }
    }

    /// Version and refresh state of a listed dataset.
    static func lines(_ dataset: PublishedDatasetSummary) -> [String] {
        var lines = ["version: \(TerminalText.shown(dataset.version, or: "none (not served until refreshed)"))"]
        if let every = dataset.refreshEvery { lines.append("refresh: every \(TerminalText.shown(every))") }
        if let error = dataset.lastRefreshError {
            let when = dataset.lastRefreshAttempt.map { " at " + ISO8601DateFormatter().string(from: $0) } ?? ""
            lines.append(TerminalText.shown("last refresh failed\(when): \(error)"))
        }
        return lines
    }
}
