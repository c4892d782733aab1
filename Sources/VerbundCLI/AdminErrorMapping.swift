import VerbundFederation

extension CLIError {
    /// Malformed values the user typed are usage errors (exit 2); everything the federation refuses or that
    /// fails on disk is a refusal (exit 1).
    init(_ error: AdminError) {
        switch error {
        case let .invalidInput(message): self = .usage(message)
        default: self = .refused(error.description)
        }
    }
}

/// Runs an admin operation and turns its typed error into the CLI's.
func administer<T>(_ body: () throws(AdminError) -> T) throws(CLIError) -> T {
    do {
        return try body()
    } catch {
        throw CLIError(error)
    }
}
