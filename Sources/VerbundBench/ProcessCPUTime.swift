import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CPU time a process has used so far (user + system), from `/proc/<pid>/stat` fields 14 and 15 (proc(5)).
///
/// Comparing it with wall time tells whether a server was saturated during a run or waiting on its
/// clients (a single-threaded server cannot use more than 100 %).
struct ProcessCPUTime {
    let seconds: Double

    init(pid: Int32) throws {
        let path = "/proc/\(pid)/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let close = text.lastIndex(of: ")") else {
            throw BenchError.server("cannot read \(path): did process \(pid) exit?")
        }
        // The command name in parentheses may contain spaces; fields after it start with field 3 (state).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchError.server("\(path) has an unexpected format")
        }
        seconds = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
