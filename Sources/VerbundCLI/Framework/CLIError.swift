/// How a command failed, which decides the exit status (docs/design.md §19: 0 ok, 1 refused, 2 usage).
package enum CLIError: Error, CustomStringConvertible, Equatable {
    /// The command line is wrong: unknown option, missing value, malformed argument. Exit 2.
    case usage(String)
    /// The request was understood but refused or failed: bad CSR, unreachable daemon, failed check. Exit 1.
    case refused(String)

    package var exitStatus: Int32 {
        switch self {
        case .usage: return 2
        case .refused: return 1
        }
    }

    package var description: String {
        switch self {
        case let .usage(message), let .refused(message): return message
        }
    }
}
