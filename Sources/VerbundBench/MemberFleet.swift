import Foundation
import VerbundConnector
import VerbundFederation
import VerbundHTTP
import VerbundTransport

/// A federation of `count` members for the federation benchmark, each a `verbund serve` child process with its own
/// folder (key, certificate, connector.json, federation files, data directory), made with the real admin operations:
/// `FederationAdministration.create`, each member's own `MemberEnrollment` (key and CSR), `admit`. DSP listens on a
/// loopback port chosen beforehand (it goes into the registry); the management API on port 0, the daemon writes the
/// port it got to `<data>/management.port`.
///
/// Besides the members the admin admits `spareCount` consumer-only members that never run: the benchmark revokes them
/// to publish new registries without cutting a running member out (no crawl asks a consumer-only member).
final class MemberFleet {
    struct Member {
        let id: String
        let folder: String
        let dspPort: UInt16
        var managementPort: UInt16 = 0
        var token = ""
        var dataDirectory: String { folder + "/data" }
        var federationFolder: String { folder + "/federation" }
    }

    static let spareCount = 3

    let folder: String
    let admin: FederationFolder
    private(set) var members: [Member] = []
    private(set) var spares: [String] = []
    private(set) var daemons: [MemberDaemon] = []
    /// Plain HTTP to the members' management APIs (loopback), shared by all benchmark threads.
    let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(5), exchangeDeadline: .seconds(30),
                                                                   responseHeadTimeout: .seconds(30), maxIdleConnectionsPerPeer: 8))

    /// Creates the federation and the members' folders; starts nothing yet.
    init(count: Int, pollSeconds: Double) throws {
        var template = Array((NSTemporaryDirectory() + "/verbund-bench-federation-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BenchError.setup("cannot create a temp folder: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        ChildRegistry.shared.addDirectory(folder)
        admin = FederationFolder(path: folder + "/admin")
        try FederationAdministration.create(in: admin, id: "bench", name: "Benchmark federation")
        var ports = try DSPPorts()
        let width = String(count).count
        for index in 1...count {
            let id = "city" + String(repeating: "0", count: width - String(index).count) + String(index)
            let port = try ports.next()
            let member = Member(id: id, folder: folder + "/" + id, dspPort: port)
            try admit(member, roles: [.provider, .consumer])
            try writeConfiguration(member, pollSeconds: pollSeconds)
            members.append(member)
        }
        for index in 1...Self.spareCount {
            let spare = Member(id: "spare\(index)", folder: folder + "/spare\(index)", dspPort: try ports.next())
            try admit(spare, roles: [.consumer])
            spares.append(spare.id)
        }
        for member in members { try publish(to: member) }
    }

    /// Starts every daemon, then waits (within `timeout`) until each has written its management port and token and
    /// answers `/healthz`. Returns the seconds from the first start to the last healthy member.
    func start(executable: String, timeout: Duration) throws -> Double {
        let began = ContinuousClock.now
        // The background crawler crawls once at start (empty catalogs) and then only after a day: the benchmark
        // times the crawl it asks for.
        let environment = ["VERBUND_CATALOG_CRAWL_SECONDS": "86400"]
        for member in members {
            daemons.append(try MemberDaemon(memberId: member.id, executable: executable, configFile: member.folder + "/connector.json",
                                            logFile: member.folder + "/verbund.log", environment: environment))
        }
        let deadline = ContinuousClock.now + timeout
        for index in members.indices {
            let member = members[index]
            let portFile = member.dataDirectory + "/" + Connector.managementPortFileName
            let tokenFile = ManagementToken.path(inDataDirectory: member.dataDirectory)
            while true {
                if let port = Self.readTrimmed(portFile).flatMap(UInt16.init), port != 0, let token = Self.readTrimmed(tokenFile),
                   token.count == 64 {
                    members[index].managementPort = port
                    members[index].token = token
                    break
                }
                try checkAlive(index, before: deadline, waitingFor: "its management port")
                usleep(20_000)
            }
            while (try? health(members[index])) == nil {
                try checkAlive(index, before: deadline, waitingFor: "/healthz")
                usleep(20_000)
            }
        }
        return (ContinuousClock.now - began).secondsValue
    }

    /// SIGTERM to every daemon at once, then reaps each (SIGKILL after `grace`), and removes the folder.
    func stop(grace: Duration = .seconds(10)) {
        for daemon in daemons { daemon.terminate() }
        for daemon in daemons { daemon.reap(grace: grace) }
        daemons = []
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: Admin

    /// The admin's current registry serial.
    func adminSerial() throws -> UInt64 {
        try FederationAdministration(folder: admin).registry.serial
    }

    /// The admin revokes `spare` (new registry and CRL in the admin folder); returns the new registry serial.
    func revoke(_ spare: String) throws -> UInt64 {
        let (registry, _) = try FederationAdministration(folder: admin).revoke(memberId: spare, reason: "benchmark")
        return registry.registry.serial
    }

    /// Copies the admin's public files (root, CRL, registry) into the member's federation folder, each atomically, the
    /// CRL first, as an admin's distribution script would.
    func publish(to member: Member) throws {
        for (source, name) in [(admin.rootCertificate, "root.pem"), (admin.crl, "crl.pem"), (admin.registry, "registry.jws")] {
            guard let bytes = FileManager.default.contents(atPath: source) else {
                throw BenchError.setup("cannot read the admin's \(source)")
            }
            try AtomicFile.write(Array(bytes), to: member.federationFolder + "/" + name)
        }
    }

    // MARK: Management API

    /// The registry serial the member holds (`GET /healthz`).
    func health(_ member: Member) throws -> UInt64 {
        let response = try client.send(HTTPClientRequest(host: "127.0.0.1", port: member.managementPort, target: "/healthz"),
                                       deadline: .seconds(10))
        guard response.status.code == 200 else { throw BenchError.protocolViolation("\(member.id) /healthz answered \(response.status.code)") }
        return try JSONDecoder().decode(Health.self, from: Data(response.body)).registrySerial
    }

    /// A management call with the member's bearer token.
    func call(_ member: Member, _ method: HTTPMethod, _ target: String, body: [UInt8] = [],
              deadline: Duration = .seconds(30)) throws -> HTTPClientResponse {
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(member.token)")
        if !body.isEmpty { headers.set("Content-Type", "application/json") }
        return try client.send(HTTPClientRequest(method: method, host: "127.0.0.1", port: member.managementPort, target: target,
                                                 headers: headers, body: body), maxBodyBytes: 64 << 20, deadline: deadline)
    }

    /// The daemons' pids with their member ids.
    var pids: [(id: String, pid: Int32)] { daemons.map { ($0.memberId, $0.pid) } }

    // MARK: Setup

    private func admit(_ member: Member, roles: [MemberRole]) throws {
        let endpoint = "https://127.0.0.1:\(member.dspPort)/dsp"
        let enrollment = try MemberEnrollment.create(in: member.folder, memberId: member.id, name: "Stadt \(member.id)", ags: "16053000",
                                                     federationId: "bench")
        let issued = try FederationAdministration(folder: admin)
            .admit(csr: enrollment.csr, AdmissionRequest(memberId: member.id, endpoint: endpoint, roles: roles))
        try AtomicFile.write(issued.certificate.pem, to: member.folder + "/member.pem")
    }

    private func writeConfiguration(_ member: Member, pollSeconds: Double) throws {
        try FileManager.default.createDirectory(atPath: member.federationFolder, withIntermediateDirectories: true)
        let files = member.federationFolder
        // The benchmark's consumers negotiate far more often than a city's write budget allows. Every member connects
        // from 127.0.0.1, so the per-source handshake cap (16, against one attacker address) would count the whole
        // federation as one source: when 99 members fetch a registry from one, most would be cut off.
        let limits = ConnectorLimits(["memberNegotiationsPerMinute": 1_000_000, "memberTransfersPerMinute": 1_000_000,
                                      "maxHandshakesPerSource": 1024, "maxHandshakes": 1024])
        let configuration = ConnectorConfiguration(
            memberId: member.id, participantId: "urn:verbund:bench:\(member.id)",
            federation: .init(root: files + "/root.pem", registry: files + "/registry.jws", crl: files + "/crl.pem"),
            keyFile: member.folder + "/member.key", certificateFile: member.folder + "/member.pem",
            listen: "127.0.0.1:\(member.dspPort)", endpoint: "https://127.0.0.1:\(member.dspPort)/dsp", management: "127.0.0.1:0",
            dataDirectory: member.dataDirectory, federationPollSeconds: pollSeconds, limits: limits)
        try AtomicFile.write(try configuration.encoded(), to: member.folder + "/connector.json")
    }

    private func checkAlive(_ index: Int, before deadline: ContinuousClock.Instant, waitingFor what: String) throws {
        let daemon = daemons[index]
        guard daemon.isRunning else {
            throw BenchError.server("member \(daemon.memberId) exited while the benchmark waited for \(what); its log: \(daemon.logTail())")
        }
        guard ContinuousClock.now < deadline else {
            throw BenchError.server("member \(daemon.memberId) gave no \(what) in time; its log: \(daemon.logTail())")
        }
    }

    private static func readTrimmed(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// DSP ports for the registry, chosen before any daemon runs, from below the kernel's ephemeral range
    /// (`/proc/sys/net/ipv4/ip_local_port_range`): a port taken from that range and released again can be handed to a
    /// daemon's outgoing connection or port-0 management listener before its own daemon binds it (seen at 100 members).
    private struct DSPPorts {
        private var candidate: Int
        private let limit: Int

        init() throws {
            let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
                .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) } ?? []
            limit = min(range.first ?? 32768, 65_536)
            guard limit > 12_000 else { throw BenchError.setup("the ephemeral port range starts at \(limit): no room below it for DSP ports") }
            candidate = Int.random(in: 10_000...(limit - 2_000))
        }

        /// The next port that can be bound on 127.0.0.1 now.
        mutating func next() throws -> UInt16 {
            while candidate < limit {
                defer { candidate += 1 }
                if let socket = try? Socket.listen(host: "127.0.0.1", port: UInt16(candidate)) {
                    socket.close()
                    return UInt16(candidate)
                }
            }
            throw BenchError.setup("no free loopback port left below the ephemeral range (\(limit))")
        }
    }

    private struct Health: Decodable {
        let registrySerial: UInt64
    }
}
