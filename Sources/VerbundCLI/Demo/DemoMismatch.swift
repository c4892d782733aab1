/// A demo step did not behave as narrated: what the narration expected and what actually happened.
struct DemoMismatch: Error, CustomStringConvertible, Sendable {
    let expected: String
    let seen: String

    init(expected: String, seen: String) {
        self.expected = expected
        self.seen = seen
    }

    var description: String { "expected \(expected), but saw \(seen)" }
}
