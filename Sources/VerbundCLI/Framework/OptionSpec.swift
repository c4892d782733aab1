/// One `--option` a command accepts.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable {
        /// `--json`: present or not.
        case flag
        /// `--dir DIR` or `--dir=DIR`, at most once.
        case value(placeholder: String)
        /// `--keyword K`, any number of times.
        case repeatable(placeholder: String)
    }

    public let name: String
    public let kind: Kind
    public let help: String

    public static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help)
    }

    public static func value(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help)
    }

    public static func repeatable(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .repeatable(placeholder: placeholder), help: help)
    }

    /// `--dir DIR` as it appears in help text.
    var synopsis: String {
        switch kind {
        case .flag: return "--\(name)"
        case let .value(placeholder): return "--\(name) \(placeholder)"
        case let .repeatable(placeholder): return "--\(name) \(placeholder)..."
        }
    }
}
