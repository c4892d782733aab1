import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VerbundTransport

/// `verbund-bench transport`: Verbund's mTLS HTTP server against `openssl s_server -WWW`, driven by
/// the same client in the same run: handshakes per second, bulk throughput, server peak RSS.
struct TransportCommand {
    static let valued: Set<String> = ["seconds", "connections", "file-mib", "bulk-runs", "markdown", "openssl", "workdir"]
    static let flags: Set<String> = ["sparse", "crl"]

    let seconds: Int
    let connections: Int
    let fileMiB: Int
    let bulkRuns: Int
    let markdownFile: String?
    let openSSL: String
    let workDirectory: String?
    let sparse: Bool
    let checksRevocation: Bool
    let command: String

    init(arguments: ArraySlice<String>) throws {
        let reader = try ArgumentReader(arguments, valued: Self.valued, flags: Self.flags)
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        seconds = try reader.integer("seconds", default: 10, in: 1...600)
        connections = try reader.integer("connections", default: 2 * max(cores, 1), in: 1...256)
        fileMiB = try reader.integer("file-mib", default: 1024, in: 1...65_536)
        bulkRuns = try reader.integer("bulk-runs", default: 5, in: 1...20)
        markdownFile = reader.string("markdown")
        if let markdownFile {
            // Checked now rather than after minutes of measuring.
            let directory = (markdownFile as NSString).deletingLastPathComponent
            guard access(directory.isEmpty ? "." : directory, W_OK) == 0 else {
                throw BenchError.usage("--markdown \(markdownFile): the directory does not exist or is not writable")
            }
        }
        openSSL = try Self.resolve(reader.string("openssl") ?? "openssl")
        workDirectory = reader.string("workdir")
        sparse = reader.flag("sparse")
        checksRevocation = reader.flag("crl")
        command = (["swift run -c release verbund-bench transport"] + arguments).joined(separator: " ")
    }

    func run() throws {
        let log = StandardError()
        let machine = MachineDescription.current(openSSL: openSSL)
        let material = try BenchMaterial.create(under: workDirectory)
        ChildRegistry.shared.addDirectory(material.directory)
        defer { material.remove() }
        log.say("preparing \(fileMiB) MiB \(sparse ? "sparse" : "random") file in \(material.directory)")
        try material.createBigFile(mebibytes: fileMiB, sparse: sparse)

        var configuration = try TLSConfiguration(
            role: .client, certificateChainFile: material.clientCertificateFile, privateKeyFile: material.clientKeyFile,
            trustRootsFile: material.rootFile, revocationListFile: checksRevocation ? material.revocationListFile : nil)
        configuration.minimumVersion = .tls13
        let context = try TLSContext(configuration: configuration)

        let verbund = try startVerbund(material)
        defer { verbund.process.stop() }
        let openssl = try startOpenSSL(material)
        defer { openssl.process.stop() }

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: BulkTransfer.bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        let targets = [
            Target(name: "Verbund", server: verbund, smallPath: "/small", bigPath: "/file"),
            Target(name: "openssl s_server -WWW", server: openssl,
                   smallPath: "/" + material.smallFileName, bigPath: "/" + material.bigFileName),
        ]
        let handshakes = try targets.map { try measureHandshakes(on: $0, context: context, buffer: buffer, log: log) }
        // Peaks are reset now, so "during bulk" covers the bulk runs only.
        let lifetimePeaks = try targets.map { try ProcessMemory(pid: $0.server.process.pid).peakKiB }
        let resets = targets.map { ProcessMemory.resetPeak(pid: $0.server.process.pid) }
        let rates = try measureBulk(on: targets, context: context, buffer: buffer, log: log)
        var rows: [ServerMeasurement] = []
        for (index, target) in targets.enumerated() {
            let memory = try ProcessMemory(pid: target.server.process.pid)
            rows.append(ServerMeasurement(name: target.name, handshakes: handshakes[index].result,
                                          handshakeServerLoad: handshakes[index].load,
                                          bulkRates: rates[index], bulkPeakKiB: resets[index] ? memory.peakKiB : nil,
                                          anonymousKiB: memory.anonymousKiB,
                                          lifetimePeakKiB: max(lifetimePeaks[index], memory.peakKiB)))
        }
        let table = ResultTable(command: command, machine: machine, seconds: seconds,
                                connections: connections, fileMiB: fileMiB, bulkRuns: bulkRuns, rows: rows)
        let text = table.markdown
        FileHandle.standardOutput.write(Data(text.utf8))
        if let markdownFile {
            guard FileManager.default.createFile(atPath: markdownFile, contents: Data(text.utf8)) else {
                throw BenchError.setup("cannot write \(markdownFile)")
            }
        }
    }

    /// One server under test and the paths that name the small and the big file on it.
    private struct Target {
        let name: String
        let server: RunningServer
        let smallPath: String
        let bigPath: String
    }

    /// One handshake run against `target`, and the server's CPU load during it (1.0 = one core).
    private func measureHandshakes(on target: Target, context: TLSContext, buffer: UnsafeMutableRawBufferPointer,
                                   log: StandardError) throws -> (result: HandshakeBenchmark.Result, load: Double) {
        log.say("\(target.name): \(connections) connections for \(seconds) s of handshakes")
        let client = BenchClient(context: context, host: "127.0.0.1", port: target.server.port)
        let size = BenchMaterial.smallContent.count
        // One exchange first: fails fast with a clear error when the server refuses us.
        _ = try client.get(target.smallPath, expectedBytes: size, buffer: buffer)
        let pid = target.server.process.pid
        let cpuBefore = try ProcessCPUTime(pid: pid)
        let result = HandshakeBenchmark(client: client, path: target.smallPath, expectedBytes: size,
                                        connections: connections, duration: .seconds(seconds)).run()
        let load = (try ProcessCPUTime(pid: pid).seconds - cpuBefore.seconds) / result.elapsed.seconds
        log.say("  \(result.completed) handshakes, \(result.failed) failed, server CPU \(Int(load * 100)) %")
        return (result, load)
    }

    /// `bulkRuns` transfers per target, alternating between the targets so drift on a shared machine
    /// (other load, CPU frequency) hits all of them alike. Returns MiB/s per target, in run order.
    private func measureBulk(on targets: [Target], context: TLSContext, buffer: UnsafeMutableRawBufferPointer,
                             log: StandardError) throws -> [[Double]] {
        log.say("bulk transfer of \(fileMiB) MiB, \(bulkRuns) runs per server, alternating")
        var rates = [[Double]](repeating: [], count: targets.count)
        for _ in 0..<bulkRuns {
            for (index, target) in targets.enumerated() {
                guard target.server.process.isRunning else {
                    throw BenchError.server("\(target.name) died; its log: \(target.server.process.logTail())")
                }
                let client = BenchClient(context: context, host: "127.0.0.1", port: target.server.port, timeout: .seconds(60))
                let rate = try BulkTransfer(client: client, path: target.bigPath, expectedBytes: fileMiB << 20).run(buffer: buffer)
                log.say("  \(target.name): \(String(format: "%.0f", rate)) MiB/s")
                rates[index].append(rate)
            }
        }
        return rates
    }

    private struct RunningServer {
        let process: ChildProcess
        let port: UInt16
    }

    /// This executable again, as `serve-tls`, so the server's memory is its own.
    private func startVerbund(_ material: BenchMaterial) throws -> RunningServer {
        let executable = try Self.ownExecutable()
        var arguments = ["serve-tls", "--cert", material.serverCertificateFile, "--key", material.serverKeyFile,
                         "--root", material.rootFile, "--file", material.bigFile, "--small", material.smallFile,
                         "--host", "127.0.0.1", "--port", "0"]
        if checksRevocation { arguments += ["--crl", material.revocationListFile] }
        let process = try ChildProcess(name: "verbund serve-tls", executable: executable, arguments: arguments,
                                       directory: material.directory, logFile: material.directory + "/verbund.log")
        let port = try process.awaitLine(within: .seconds(10)) { line -> UInt16? in
            line.hasPrefix("PORT ") ? UInt16(line.dropFirst(5)) : nil
        }
        return RunningServer(process: process, port: port)
    }

    /// `openssl s_server -WWW` in the material directory: it serves files of its working directory.
    /// TLS 1.3 only, client certificate required and verified, no session tickets (Verbund sends none
    /// either, so both do the same work per handshake).
    private func startOpenSSL(_ material: BenchMaterial) throws -> RunningServer {
        var arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", material.serverCertificateFile,
                         "-key", material.serverKeyFile, "-CAfile", material.rootFile, "-Verify", "1",
                         "-verify_return_error", "-verify_quiet", "-tls1_3", "-num_tickets", "0", "-WWW"]
        if checksRevocation { arguments += ["-CRL", material.revocationListFile, "-crl_check"] }
        let process = try ChildProcess(name: "openssl s_server", executable: openSSL, arguments: arguments,
                                       directory: material.directory, logFile: material.directory + "/s_server.log")
        // OpenSSL 3 prints the bound address, also for port 0: "ACCEPT 127.0.0.1:41234".
        let port = try process.awaitLine(within: .seconds(10)) { line -> UInt16? in
            guard line.hasPrefix("ACCEPT "), let colon = line.lastIndex(of: ":") else { return nil }
            return UInt16(line[line.index(after: colon)...])
        }
        return RunningServer(process: process, port: port)
    }

    private static func ownExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { throw BenchError.setup("cannot find this executable via /proc/self/exe") }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A command name found on PATH, or a path used as given.
    private static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
            return "\(directory)/\(name)"
        }
        throw BenchError.usage("'\(name)' not found on PATH; install openssl or pass --openssl /path/to/openssl")
    }
}

/// Progress lines go to stderr, so stdout carries only the Markdown table.
struct StandardError {
    func say(_ text: String) {
        FileHandle.standardError.write(Data(("verbund-bench: " + text + "\n").utf8))
    }
}
