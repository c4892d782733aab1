/// Reads `--name value` and `--flag` options from a subcommand's arguments, refusing anything unknown.
struct ArgumentReader {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - valued: option names (without `--`) that take a value.
    ///   - flags: option names that take none.
    init(_ arguments: some Sequence<String>, valued: Set<String>, flags known: Set<String>) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else { throw BenchError.usage("unexpected argument '\(argument)'") }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if valued.contains(name) {
                guard let value = inline ?? iterator.next() else { throw BenchError.usage("--\(name) needs a value") }
                values[name] = value
            } else if known.contains(name), inline == nil {
                flags.insert(name)
            } else {
                throw BenchError.usage("unknown option --\(name)")
            }
        }
    }

    func string(_ name: String) -> String? { values[name] }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An integer option within `range`, or `defaultValue` when absent.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = values[name] else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw BenchError.usage("--\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    func required(_ name: String) throws -> String {
        guard let value = values[name] else { throw BenchError.usage("--\(name) is required") }
        return value
    }
}
