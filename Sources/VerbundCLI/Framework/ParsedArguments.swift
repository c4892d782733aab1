/// The options and positional arguments of one command invocation, checked against its `OptionSpec`s.
package struct ParsedArguments: Sendable {
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []
    package private(set) var positionals: [String] = []
    /// The command path for messages, e.g. "verbund federation admit".
    package let commandPath: String

    /// Parses `arguments`; unknown options, missing values and repeated single options are usage errors.
    package init(_ arguments: [String], specs: [OptionSpec], commandPath: String) throws(CLIError) {
        self.commandPath = commandPath
        let byName = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if argument == "--" && !onlyPositionals { onlyPositionals = true; continue }
                positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = byName[name] else {
                throw .usage("\(commandPath): unknown option --\(name). Run '\(commandPath) --help' for the options.")
            }
            switch spec.kind {
            case .flag:
                guard inlineValue == nil else { throw .usage("\(commandPath): --\(name) takes no value.") }
                flags.insert(name)
            case .value, .repeatable:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw .usage("\(commandPath): --\(name) needs a value (\(spec.synopsis)).")
                    }
                    value = arguments[index]
                    index += 1
                }
                if case .value = spec.kind, values[name] != nil {
                    throw .usage("\(commandPath): --\(name) given twice; give it once.")
                }
                values[name, default: []].append(value)
            }
        }
    }

    package func flag(_ name: String) -> Bool { flags.contains(name) }

    package func value(_ name: String) -> String? { values[name]?.first }

    package func values(_ name: String) -> [String] { values[name] ?? [] }

    /// The value of a required option, or a usage error that names it.
    package func required(_ name: String) throws(CLIError) -> String {
        guard let value = value(name), !value.isEmpty else {
            throw .usage("\(commandPath): --\(name) is required. Run '\(commandPath) --help' for details.")
        }
        return value
    }

    /// An integer option within `range`, or `defaultValue` when absent.
    package func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(CLIError) -> Int {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw .usage("\(commandPath): --\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'.")
        }
        return number
    }

    /// Exactly `count` positional arguments named by `names`, or a usage error.
    package func expectPositionals(_ names: [String]) throws(CLIError) -> [String] {
        guard positionals.count == names.count else {
            let expected = names.isEmpty ? "no arguments" : names.joined(separator: " ")
            throw .usage("\(commandPath): expected \(expected), got \(positionals.count == 0 ? "none" : positionals.joined(separator: " ")).")
        }
        return positionals
    }
}
