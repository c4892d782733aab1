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

    /// Distinct free loopback ports: all are bound at once (so the system hands out different ones), then released.
    static func freePorts(_ count: Int) throws(DemoMismatch) -> [UInt16] {
        var sockets: [Socket] = []
        defer { for socket in sockets { socket.close() } }
        do {
            for _ in 0..<count { sockets.append(try Socket.listen(host: "127.0.0.1", port: 0)) }
        } catch {
            throw DemoMismatch(expected: "\(count) free loopback ports", seen: "\(error)")
        }
        return sockets.map(\.localPort)
    }
}
