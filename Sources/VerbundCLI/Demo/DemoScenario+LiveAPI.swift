import Foundation

/// Live data (issue 11): Jena's car park occupancy as an API — the demo's SensorThings-like sample on loopback,
/// published as an API dataset for Thüringen only with a daily request budget — read by Weimar through its own
/// connector, refused to Herne, and every forwarded request in Jena's signed log.
extension DemoScenario {
    static let liveDatasetId = "jena-parkhaus-live"
    static let livePolicy = #"{"permission":[{"action":"use","constraint":["#
        + #"{"leftOperand":"https://w3id.org/verbund/odrl/region","operator":"isPartOf","rightOperand":"16"},"#
        + #"{"leftOperand":"https://w3id.org/verbund/odrl/requestsPerDay","operator":"lteq","rightOperand":100}]}]}"#

    func liveParkingAPI() throws {
        try narrator.step("Jena publishes its live car park API (a SensorThings sample on loopback) for Thüringen only, "
                          + "at most 100 requests a day; Weimar reads it twice through its own connector (`verbund get`) "
                          + "and sees the values change; Herne is refused; Jena's log records each request.") {
            let api: DemoParkingAPI
            do {
                api = try DemoParkingAPI()
            } catch {
                throw DemoMismatch(expected: "the sample API to listen on loopback", seen: "\(error)")
            }
            defer { api.stop() }
            narrator.fact("Jena's urban data platform (sample): \(api.baseURL)")
            let policyFile = workspace.samples + "/policies/\(Self.liveDatasetId).json"
            do {
                try (Self.livePolicy + "\n").write(toFile: policyFile, atomically: true, encoding: .utf8)
            } catch {
                throw DemoMismatch(expected: "to write \(workspace.short(policyFile))", seen: "\(error)")
            }
            var publish = ["datasets", "publish"] + config(.jena) + [
                "--id", Self.liveDatasetId, "--title", "Parkhausbelegung Jena live (Beispieldaten)",
                "--description", DemoDataset.sampleNote + "Freie Stellplätze je Parkhaus, aktuell bei jeder Abfrage.",
                "--license", "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "--keyword", "Parken",
                "--upstream", api.baseURL, "--allow-path", "/Things", "--allow-query", "$top", "--policy", policyFile,
            ]
            for park in DemoParkingAPI.carParks { publish += ["--allow-path", "/Datastreams(\(park.id))/Observations"] }
            let published = try shell.succeed(publish, "Jena to publish its API")
            for line in published.out.split(separator: "\n") where line.contains("api") || line.contains("offer") {
                narrator.fact(String(line).trimmingCharacters(in: .whitespaces))
            }

            _ = try shell.succeed(["catalog", "--crawl", "--search", "live"] + config(.weimar), "Weimar to crawl")
            let agreement = try negotiate(.weimar, DemoDataset(liveAPIOf: .jena), purpose: "Parkleitsystem")
            narrator.fact("agreement \(agreement)")
            let fetch = self.fetch(.weimar, agreement: agreement, into: workspace.downloads(.weimar) + "/live.json")
            guard fetch.status == 2, fetch.err.contains("verbund get") else {
                throw DemoMismatch(expected: "`verbund fetch` to explain that an API is read with `verbund get`", seen: fetch.seen)
            }
            narrator.fact(fetch.err.replacingOccurrences(of: "error: ", with: "").trimmingCharacters(in: .whitespacesAndNewlines))

            var readings: [Int] = []
            for _ in 1...2 {
                let read = try shell.succeed(["get"] + config(.weimar) + ["--agreement", agreement, "/Datastreams(1)/Observations"],
                                             "Weimar to read the live API")
                guard let free = Self.firstResult(read.out) else {
                    throw DemoMismatch(expected: "a SensorThings observation with a result", seen: read.seen)
                }
                readings.append(free)
                narrator.fact("Parkhaus Neue Mitte: \(free) freie Stellplätze")
            }
            guard readings[0] != readings[1] else {
                throw DemoMismatch(expected: "the live values to change between the two reads", seen: "\(readings)")
            }
            let outside = shell.run(["get"] + config(.weimar) + ["--agreement", agreement, "/Config"])
            guard outside.status == 1, outside.err.contains("403") else {
                throw DemoMismatch(expected: "Jena to refuse a path it did not allow (403)", seen: outside.seen)
            }
            narrator.fact(outside.err.replacingOccurrences(of: "error: ", with: "").trimmingCharacters(in: .whitespacesAndNewlines))

            let herne = shell.run(["negotiate"] + config(.herne) + [
                "--peer", DemoCity.jena.id, "--dataset", Self.liveDatasetId, "--purpose", "Parkleitsystem", "--timeout", "20"])
            guard herne.status != 0 else { throw DemoMismatch(expected: "Jena to refuse Herne (not in Thüringen)", seen: herne.seen) }
            narrator.fact("Herne: " + herne.err.replacingOccurrences(of: "error: ", with: "").trimmingCharacters(in: .whitespacesAndNewlines))

            let requests = try forwardedRequests()
            for entry in requests { narrator.fact("Jena's log: \(entry)") }
            guard requests.count >= 2 else {
                throw DemoMismatch(expected: "Jena's log to record the forwarded requests", seen: "\(requests.count) entries")
            }
            return "live values read twice through Weimar's connector (\(readings[0]) → \(readings[1]) free); "
                + "\(api.requestsServed) upstream requests, each recorded with its SHA-256 in Jena's log"
        }
    }

    /// `result` of the first observation of a SensorThings answer.
    static func firstResult(_ body: String) -> Int? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return ((object?["value"] as? [[String: Any]])?.first?["result"] as? NSNumber)?.intValue
    }

    /// Jena's `transfer.api.request` log entries, as `verbund audit log export` writes them, in words.
    private func forwardedRequests() throws(DemoMismatch) -> [String] {
        let out = workspace.root + "/jena-log.jsonl"
        _ = try shell.succeed(["audit", "log", "export"] + config(.jena) + ["--out", out], "Jena to export its log")
        let lines = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n")
        return lines.compactMap { line -> String? in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let event = (entry["event"] as? [String: Any]) ?? entry
            guard event["kind"] as? String == "transfer.api.request" else { return nil }
            let fields = (event["fields"] as? [String: Any]) ?? event
            let path = fields["path"] as? String ?? "?"
            let status = (fields["status"] as? NSNumber)?.intValue ?? 0
            let bytes = (fields["bytes"] as? NSNumber)?.intValue ?? 0
            let sha = (fields["sha256"] as? String)?.prefix(12) ?? "?"
            return "GET \(path) → \(status), \(bytes) bytes, sha-256 \(sha)…"
        }
    }
}

extension DemoDataset {
    /// Jena's live API as a dataset the demo negotiates for (it has no file).
    init(liveAPIOf owner: DemoCity) {
        self.init(id: DemoScenario.liveDatasetId, owner: owner, title: "Parkhausbelegung Jena live (Beispieldaten)",
                  description: "", keywords: [], policyInWords: "Thüringen only, 100 requests a day", policy: nil,
                  generate: { _ in ("", 0) })
    }
}
