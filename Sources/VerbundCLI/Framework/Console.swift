import Foundation
import Synchronization

/// Where a command writes: standard output for results, standard error for diagnostics.
/// Tests capture both with `CapturedConsole`.
package protocol Console: Sendable {
    func out(_ text: String)
    func err(_ text: String)
    /// Writes bytes to standard output as they are, without a newline (a body `verbund get` passes through).
    func write(_ bytes: [UInt8])
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

    package func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    package var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}

/// Collects what a command printed, for tests.
package final class CapturedConsole: Console {
    private let lines = Mutex<(out: [String], err: [String])>(([], []))
    private let written = Mutex<[UInt8]>([])

    package init() {}

    package func out(_ text: String) { lines.withLock { $0.out.append(text) } }
    package func err(_ text: String) { lines.withLock { $0.err.append(text) } }
    package func write(_ bytes: [UInt8]) { written.withLock { $0 += bytes } }
    package var isTerminal: Bool { false }

    /// The printed lines, then what was written as bytes (decoded as UTF-8).
    package var standardOutput: String {
        let raw = writtenBytes
        return (lines.withLock { $0.out } + (raw.isEmpty ? [] : [String(decoding: raw, as: UTF8.self)])).joined(separator: "\n")
    }
    package var writtenBytes: [UInt8] { written.withLock { $0 } }
    package var standardError: String { lines.withLock { $0.err.joined(separator: "\n") } }
}
