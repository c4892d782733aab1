import Foundation
import Synchronization

/// Where a command writes: standard output for results, standard error for diagnostics.
/// Tests capture both with `CapturedConsole`.
package protocol Console: Sendable {
    func out(_ text: String)
    func err(_ text: String)
    /// True when standard output is a terminal (progress bars, colours); false for pipes and tests.
    var isTerminal: Bool { get }
}

/// The process's real standard output and error.
package struct StandardConsole: Console {
    package init() {}

    package func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    package func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    package var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}

/// Collects what a command printed, for tests.
package final class CapturedConsole: Console {
    private let lines = Mutex<(out: [String], err: [String])>(([], []))

    package init() {}

    package func out(_ text: String) { lines.withLock { $0.out.append(text) } }
    package func err(_ text: String) { lines.withLock { $0.err.append(text) } }
    package var isTerminal: Bool { false }

    package var standardOutput: String { lines.withLock { $0.out.joined(separator: "\n") } }
    package var standardError: String { lines.withLock { $0.err.joined(separator: "\n") } }
}
