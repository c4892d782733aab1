import Foundation
import VerbundTransport

/// The demo's story, step by step. Each step runs the real commands a city, the admin or the auditor would run, and
/// checks that the outcome is the narrated one; the steps live in one file per concern (`DemoScenario+…`).
final class DemoScenario {
    /// A city's loopback ports, chosen before its configuration is written.
    struct Ports {
        let dsp: UInt16
        let management: UInt16
    }

    static let federationId = "stadtverbund"
    static let federationName = "Stadtverbund"

    let workspace: DemoWorkspace
    let narrator: Narrator
    let shell: DemoShell
    let supervisor: ConnectorSupervisor
    var ports: [String: Ports] = [:]
    /// Agreement ids of the contracts made so far, by dataset id.
    var agreements: [String: String] = [:]
    /// The generated file of each published dataset, by dataset id.
    var publishedFiles: [String: String] = [:]
    /// The terms of Erfurt's air quality offer as Weimar's catalog shows them.
    var airQualityTerms: String?

    init(workspace: DemoWorkspace, narrator: Narrator, supervisor: ConnectorSupervisor) {
        self.workspace = workspace
        self.narrator = narrator
        self.shell = DemoShell(narrator: narrator)
        self.supervisor = supervisor
    }

    /// All steps in order; the first that does not behave as narrated ends the run.
    func run() throws {
        try createFederation()
        try enrollCities()
        try admitCities()
        try startConnectors()
        try publishDatasets()
        try searchCatalog()
        try negotiateSuccessfully()
        try refusedByRegion()
        try transferWithDigest()
        try refreshedFileIsFetchedAgain()
        try liveParkingAPI()
        try countLimitReached()
        try contractBeforeRevocation()
        try revokeErfurt()
        try verifyEvidence()
        try verifyLog(of: .jena)
    }

    func ports(_ city: DemoCity) -> Ports {
        ports[city.id] ?? Ports(dsp: 0, management: 0)
    }

    func endpoint(_ city: DemoCity) -> String {
        "https://127.0.0.1:\(ports(city).dsp)/dsp"
    }

    func participantId(_ city: DemoCity) -> String {
        "urn:verbund:\(Self.federationId):\(city.id)"
    }

    /// `--config cities/<city>/connector.json`, the option every city-side command takes.
    func config(_ city: DemoCity) -> [String] {
        ["--config", workspace.configuration(city)]
    }

    /// Distinct free loopback ports, all bound at once and then released. They are chosen below the range the system
    /// hands out for port 0 (`ip_local_port_range`): a DSP port goes into the registry before its connector starts, and
    /// a port of that range could be taken meanwhile by any program that binds port 0.
    static func freePorts(_ count: Int) throws(DemoMismatch) -> [UInt16] {
        var sockets: [Socket] = []
        defer { for socket in sockets { socket.close() } }
        let below = ephemeralRangeStart()
        var candidates = Array(UInt16(10_000)..<max(below, 10_000 + UInt16(count) * 64)).shuffled().makeIterator()
        while sockets.count < count, let port = candidates.next() {
            if let socket = try? Socket.listen(host: "127.0.0.1", port: port) { sockets.append(socket) }
        }
        guard sockets.count == count else {
            throw DemoMismatch(expected: "\(count) free loopback ports below \(below)", seen: "only \(sockets.count)")
        }
        return sockets.map(\.localPort)
    }

    /// The first port the system hands out for port 0 (Linux: `/proc/sys/net/ipv4/ip_local_port_range`, 32768 by default).
    static func ephemeralRangeStart() -> UInt16 {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { UInt16($0) }
        return first.map { max($0, 11_024) } ?? 32_768
    }
}
