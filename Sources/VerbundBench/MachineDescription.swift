import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the numbers were measured on: core count, CPU model, kernel, OpenSSL.
struct MachineDescription {
    let processors: Int
    let cpuModel: String
    let kernel: String
    let openSSLVersion: String
    /// /proc/loadavg's 1-minute figure when the run started: other work competes for the same cores.
    let loadAverage: String

    static func current(openSSL: String) -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "")
            .split(separator: " ").first.map(String.init) ?? "unknown"
        return MachineDescription(processors: sysconf(Int32(_SC_NPROCESSORS_ONLN)), cpuModel: model,
                                  kernel: "Linux " + release, openSSLVersion: Self.version(of: openSSL), loadAverage: load)
    }

    /// `openssl version`, the library s_server and (on this system) Verbund link against.
    private static func version(of openSSL: String) -> String {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: openSSL)
        process.arguments = ["version"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unknown OpenSSL" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var markdown: String {
        "Machine: \(cpuModel), `nproc` = \(processors), \(kernel), \(openSSLVersion); "
            + "1-minute load average when the run started: \(loadAverage) (client and servers share these cores)."
    }
}
