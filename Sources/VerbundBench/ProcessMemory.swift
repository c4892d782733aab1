import Foundation

/// Resident memory of a process from `/proc/<pid>/status` (Linux, proc(5)).
struct ProcessMemory {
    /// VmHWM: the peak resident set size, KiB.
    let peakKiB: Int
    /// VmRSS: the resident set size now, KiB.
    let currentKiB: Int
    /// RssAnon: the anonymous part of VmRSS now (heap, stacks), KiB; the rest is mapped files,
    /// mostly shared libraries (Swift runtime, Foundation, libssl/libcrypto).
    let anonymousKiB: Int

    init(pid: Int32) throws {
        let path = "/proc/\(pid)/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError.server("cannot read \(path): did process \(pid) exit?")
        }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
        }
        guard let peak = field("VmHWM"), let current = field("VmRSS"), let anonymous = field("RssAnon") else {
            throw BenchError.server("\(path) has no VmHWM/VmRSS/RssAnon lines")
        }
        peakKiB = peak
        currentKiB = current
        anonymousKiB = anonymous
    }

    /// Resets the peak to the current RSS (writing "5" to clear_refs, proc(5), Linux 4.0+), so a later
    /// `peakKiB` covers only what happened in between. False when the kernel refused.
    static func resetPeak(pid: Int32) -> Bool {
        let path = "/proc/\(pid)/clear_refs"
        guard let handle = FileHandle(forWritingAtPath: path) else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }
}
