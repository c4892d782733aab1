/// Plain search words turned into an SQLite FTS5 query: every word must occur, as a word or a word's beginning
/// (`park` finds `Parkhaus`). Words are quoted, so FTS5 operators typed by a user (`OR`, `NEAR`, `*`, `:`) are just
/// words and never a syntax error (FTS5 query syntax, sqlite.org/fts5.html §3).
enum FullTextQuery {
    /// nil when `text` has no letters or digits.
    static func match(_ text: String) -> String? {
        let words = text.split { !($0.isLetter || $0.isNumber) }
        guard !words.isEmpty else { return nil }
        return words.prefix(16).map { "\"\($0.lowercased())\"*" }.joined(separator: " ")
    }
}
