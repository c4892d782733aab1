import Foundation
import VerbundConnector
import VerbundFederation

/// Steps 1–4: the admin creates the federation, the cities enrol from their own CSRs, the admin admits them, and
/// every city starts its connector.
extension DemoScenario {
    func createFederation() throws {
        try narrator.step("The federation admin creates the federation \"\(Self.federationName)\": root CA, registry signer, signed member registry, CRL.") {
            try workspace.prepare()
            let result = try shell.succeed(["federation", "init", "--dir", workspace.admin.path, "--id", Self.federationId,
                                            "--name", Self.federationName], "the federation to be created")
            let fingerprint = Self.value(after: "sha256 Fingerprint=", in: result.out).map { String($0.prefix(23)) + "…" } ?? "?"
            narrator.fact("root CA sha256 \(fingerprint); its private key stays in federation-admin/private")
            let members = try FederationAdministration(folder: workspace.admin).registry.members.count
            guard members == 0 else { throw DemoMismatch(expected: "an empty registry", seen: "\(members) members") }
            return "registry serial 1 with no members yet; root.pem, registry.jws and crl.pem are the public files"
        }
    }

    func enrollCities() throws {
        try narrator.step("Each city makes its own key pair and certificate signing request (`verbund member init`); the key never leaves the city.") {
            // The DSP port goes into the registry with the endpoint, so it is chosen now; the management port is 0
            // (the connector records the one it gets).
            let free = try Self.freePorts(DemoCity.all.count)
            try workspace.publishFederationFiles(to: DemoCity.all)
            for (index, city) in DemoCity.all.enumerated() {
                ports[city.id] = Ports(dsp: free[index], management: 0)
                try shell.succeed([
                    "member", "init", "--dir", workspace.city(city), "--id", city.id, "--name", city.name, "--ags", city.ags,
                    "--federation", workspace.cityFederation(city), "--listen", "127.0.0.1:\(ports(city).dsp)",
                    "--endpoint", endpoint(city), "--management", "127.0.0.1:0",
                ], "\(city.name) to create its key, CSR and connector.json")
                try tuneForDemo(city)
                let mode = (try? FileManager.default.attributesOfItem(atPath: workspace.city(city) + "/member.key"))?[.posixPermissions] as? Int
                guard mode == 0o600 else {
                    throw DemoMismatch(expected: "\(city.id)'s member.key with mode 0600", seen: mode.map { String($0, radix: 8) } ?? "no key file")
                }
            }
            narrator.fact("(the demo sets federationPollSeconds to 0.5 in each connector.json, so registry changes show at once)")
            return "4 keys (mode 0600), 4 CSRs with participant ids urn:verbund:\(Self.federationId):<city>"
        }
    }

    func admitCities() throws {
        try narrator.step("The admin checks each CSR and admits the city: issues its certificate and signs a new member registry.") {
            for city in DemoCity.all {
                let result = try shell.succeed([
                    "federation", "admit", "--dir", workspace.admin.path, "--csr", workspace.city(city) + "/member.csr",
                    "--endpoint", endpoint(city), "--ags", city.ags, "--out", workspace.city(city) + "/member.pem",
                ], "the admin to admit \(city.name)")
                let serial = Self.value(after: "serial ", in: result.out) ?? "?"
                narrator.fact("\(city.name.padding(toLength: 24, withPad: " ", startingAt: 0)) AGS \(city.ags)  certificate serial \(serial)")
            }
            try workspace.publishFederationFiles(to: DemoCity.all)
            let registry = try FederationAdministration(folder: workspace.admin).registry
            let active = registry.members.filter { $0.status == .active }.map(\.id).sorted()
            guard active == DemoCity.all.map(\.id).sorted() else {
                throw DemoMismatch(expected: "all four cities active in the registry", seen: active.joined(separator: ", "))
            }
            return "registry serial \(registry.serial) lists 4 active members; each city got its certificate and the public files"
        }
    }

    func startConnectors() throws {
        try narrator.step("Each city starts its connector (`verbund serve`) as its own process on free loopback ports.") {
            let began = ContinuousClock.now
            var pids: [String: Int32] = [:]
            for city in DemoCity.all {
                narrator.command(["serve"] + config(city))
                pids[city.id] = try supervisor.start(city, arguments: ["serve"] + config(city), logFile: workspace.log(city))
            }
            let expected = try FederationAdministration(folder: workspace.admin).registry.serial
            for city in DemoCity.all {
                let management = try supervisor.managementPort(city, portFile: workspace.city(city) + "/data/" + Connector.managementPortFileName,
                                                               logFile: workspace.log(city))
                ports[city.id] = Ports(dsp: ports(city).dsp, management: management)
                narrator.fact("\(city.id): pid \(pids[city.id] ?? 0), DSP \(endpoint(city)), management 127.0.0.1:\(management)")
                let serial = try supervisor.waitUntilHealthy(city, managementPort: ports(city).management, logFile: workspace.log(city))
                guard serial == expected else {
                    throw DemoMismatch(expected: "\(city.id) to hold registry serial \(expected)", seen: "serial \(serial)")
                }
            }
            let seconds = (ContinuousClock.now - began).demoSeconds
            return "4 connectors answer /healthz (registry serial \(expected)) after \(String(format: "%.1f", seconds)) s; logs in cities/<city>/verbund.log"
        }
    }

    /// The demo's only change to what `member init` wrote: a short federation poll interval, a documented field of
    /// connector.json, so revocations reach the connectors within the demo's minute.
    private func tuneForDemo(_ city: DemoCity) throws(DemoMismatch) {
        let file = workspace.configuration(city)
        do {
            var configuration = try ConnectorConfiguration.load(from: file)
            configuration.federationPollSeconds = 0.5
            try AtomicFile.write(try configuration.relativizingPaths(to: workspace.city(city)).encoded(), to: file)
        } catch {
            throw DemoMismatch(expected: "to set federationPollSeconds in \(workspace.short(file))", seen: "\(error)")
        }
    }

    /// The word after `marker` in `text` (e.g. the fingerprint after "sha256 ").
    static func value(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...]
        let word = rest.prefix { !$0.isWhitespace && $0 != ")" && $0 != "," }
        return word.isEmpty ? nil : String(word)
    }
}
