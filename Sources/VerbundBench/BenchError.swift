/// Why a benchmark run failed, in words that say what to do about it.
enum BenchError: Error, CustomStringConvertible {
    /// The command line is wrong; the text names the option.
    case usage(String)
    /// Preparing the run (temp dir, certificates, files) failed.
    case setup(String)
    /// A server child process did not start or died.
    case server(String)
    /// The client saw something other than the expected response.
    case protocolViolation(String)

    var description: String {
        switch self {
        case let .usage(text): return "usage error: \(text) (see `verbund-bench --help`)"
        case let .setup(text): return "setup failed: \(text)"
        case let .server(text): return "server failed: \(text)"
        case let .protocolViolation(text): return "unexpected response: \(text)"
        }
    }
}
