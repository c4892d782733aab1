import VerbundFederation

/// Text the CLI prints that another party wrote — a peer's dataset titles, offer terms and refusal reasons, member
/// names from the registry, error texts the connector relays — made inert for the terminal that shows it: a peer must
/// not be able to retitle the window, clear the screen or hide and reorder text with escape sequences or bidi controls.
enum TerminalText {
    /// `text` with every control, format or unassigned character written as `\u{1B}` (see `PrintableText`).
    static func shown(_ text: String) -> String { PrintableText.escaped(text) }

    /// `text` with `nil` shown as `placeholder`.
    static func shown(_ text: String?, or placeholder: String) -> String { text.map(shown) ?? placeholder }

    /// Each line of `text` made inert, the line breaks kept: for messages that are several lines on purpose.
    static func shownLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { shown(String($0)) }.joined(separator: "\n")
    }

    /// A JSON document (for `--json`) with every such character outside JSON's own whitespace written as a `\uXXXX`
    /// escape: still the same JSON for a program, inert on a terminal. (A JSON encoder escapes C0 controls itself,
    /// but not DEL, C1 controls or bidi overrides.)
    static func json(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { PrintableText.isForbidden($0) && !isJSONWhitespace($0) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard PrintableText.isForbidden(scalar), !isJSONWhitespace(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return result
    }

    /// RFC 8259 §2: whitespace between tokens (inside strings an encoder escapes them).
    private static func isJSONWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\t"
    }
}
