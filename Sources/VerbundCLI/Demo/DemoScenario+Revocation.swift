import Foundation
import VerbundFederation

/// The admin revokes Erfurt; from then on the other connectors refuse it, even under a contract it already holds.
extension DemoScenario {
    func contractBeforeRevocation() throws {
        try narrator.step("Erfurt negotiates Jena's charging point data (valid until 2027-12-31) while it is still a member.") {
            let agreement = try negotiate(.erfurt, .chargingPoints, purpose: "Ladeinfrastrukturplanung")
            agreements[DemoDataset.chargingPoints.id] = agreement
            narrator.fact("agreement \(agreement)")
            let listing = try shell.succeed(["catalog"] + config(.erfurt) + ["--peer", DemoCity.jena.id],
                                            "Erfurt to read Jena's catalog live")
            let seen = DemoDataset.all.filter { listing.out.contains($0.id) }.map(\.id)
            guard seen.contains(DemoDataset.chargingPoints.id) else {
                throw DemoMismatch(expected: "Jena's live catalog to show \(DemoDataset.chargingPoints.id) to Erfurt", seen: listing.seen)
            }
            return "contract FINALIZED; Erfurt reads Jena's catalog live (\(seen.joined(separator: ", ")))"
        }
    }

    func revokeErfurt() throws {
        try narrator.step("The admin revokes Erfurt (new CRL and registry); the other connectors take it, and Jena refuses Erfurt from then on.") {
            try shell.succeed(["federation", "revoke", "--dir", workspace.admin.path, "--member", DemoCity.erfurt.id,
                               "--reason-code", "cessationOfOperation", "--reason", "Austritt aus dem Stadtverbund (Demo)"],
                              "the admin to revoke Erfurt")
            let serial = try FederationAdministration(folder: workspace.admin).registry.serial
            try workspace.publishFederationFiles(to: DemoCity.all)
            narrator.fact("the admin publishes crl.pem and registry.jws (serial \(serial)) to every city")
            let began = ContinuousClock.now
            for city in [DemoCity.jena, .weimar, .herne] {
                try waitForRegistry(city, serial: serial)
            }
            narrator.fact(String(format: "Jena, Weimar and Herne hold registry serial \(serial) after %.1f s", (ContinuousClock.now - began).demoSeconds))

            let listing = shell.run(["catalog"] + config(.erfurt) + ["--peer", DemoCity.jena.id])
            guard Self.isRefusal(listing) else {
                throw DemoMismatch(expected: "Jena to refuse Erfurt's catalog request as revoked", seen: listing.seen)
            }
            narrator.fact("refused: " + listing.err.replacingOccurrences(of: "error: ", with: ""))
            let negotiation = shell.run(["negotiate"] + config(.erfurt) + [
                "--peer", DemoCity.jena.id, "--dataset", DemoDataset.parking.id, "--timeout", "10"])
            guard Self.isRefusal(negotiation) else {
                throw DemoMismatch(expected: "no new contract for Erfurt, refused as revoked", seen: negotiation.seen)
            }
            narrator.fact("refused: " + negotiation.err.replacingOccurrences(of: "error: ", with: ""))
            if let status = Self.lastLogLine(workspace.log(.jena), containing: "federation.member.status", field: "to") {
                narrator.fact("Jena's log: \(status)")
            }
            // A new connection fails the TLS handshake; a connection Erfurt opened before the revocation is re-checked
            // on its next request and answered 404 (DSP: non-members learn nothing) — either way Jena logs why.
            let refusals = [("http.handshake.failed", "error"), ("dsp.request.refused", "reason")].compactMap { event, field in
                Self.lastLogLine(workspace.log(.jena), containing: event, field: field)
            }
            guard !refusals.isEmpty else {
                throw DemoMismatch(expected: "Jena's log to record why it refused Erfurt", seen: "no refusal in \(workspace.short(workspace.log(.jena)))")
            }
            for refusal in refusals { narrator.fact("Jena's log: \(refusal)") }
            return "Jena refuses Erfurt's revoked certificate: no catalog and no new contract for Erfurt"
        }
    }

    /// Exit 1 with Jena's refusal: the TLS alert for a revoked certificate, or the DSP guard's 404 on an old connection.
    static func isRefusal(_ run: DemoShell.Run) -> Bool {
        run.status == 1 && (run.err.contains("revoked") || run.err.contains("answered 404"))
    }

    /// Polls the city's `/healthz` until it reports `serial` (the connector polls its files every 0.5 s here).
    func waitForRegistry(_ city: DemoCity, serial: UInt64) throws(DemoMismatch) {
        let deadline = ContinuousClock.now + .seconds(15)
        var held: UInt64 = 0
        while ContinuousClock.now < deadline {
            held = (try? supervisor.waitUntilHealthy(city, managementPort: ports(city).management, logFile: workspace.log(city),
                                                     timeout: .seconds(2))) ?? held
            if held >= serial { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw DemoMismatch(expected: "\(city.id) to take registry serial \(serial)", seen: "it still holds serial \(held)")
    }

    /// `event: <field>` of the last JSON log line of `event` in a connector's log, for the narration.
    static func lastLogLine(_ file: String, containing event: String, field: String) -> String? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last { $0.contains("\"event\":\"\(event)\"") }
        guard let line, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        let detail = object[field].map { "\($0)" } ?? ""
        let member = (object["member"] as? String).map { " (\($0))" } ?? ""
        return "\(event)\(member): \(detail)"
    }
}
