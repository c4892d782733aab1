/// One `--option` a command accepts.
package struct OptionSpec: Sendable {
    package enum Kind: Sendable {
        /// `--json`: present or not.
        case flag
        /// `--dir DIR` or `--dir=DIR`, at most once.
        case value(placeholder: String)
        /// `--keyword K`, any number of times.
        case repeatable(placeholder: String)
    }

    package let name: String
    package let kind: Kind
    package let help: String

    package static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help)
    }

    package static func value(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help)
    }

    package static func repeatable(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
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
