import Foundation
import VerbundFederation

/// `--json` output: pretty, sorted keys, RFC 3339 dates, for scripts.
enum MemberJSON {
    static func text<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "{}" }
        // Registries carry members' names; inert on a terminal, the same JSON for a script.
        return TerminalText.json(String(decoding: data, as: UTF8.self))
    }
}
