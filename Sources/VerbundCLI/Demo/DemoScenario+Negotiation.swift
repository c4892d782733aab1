import Foundation

/// Contract negotiations: one that succeeds with a dual-signed contract, and one the provider's policy refuses.
extension DemoScenario {
    /// Runs `verbund negotiate` as `consumer` and returns the agreement id it prints.
    func negotiate(_ consumer: DemoCity, _ dataset: DemoDataset, purpose: String) throws(DemoMismatch) -> String {
        let result = try shell.succeed(["negotiate"] + config(consumer) + [
            "--peer", dataset.owner.id, "--dataset", dataset.id, "--purpose", purpose, "--timeout", "20",
        ], "\(consumer.id) to agree a contract with \(dataset.owner.id) for \(dataset.id)")
        let agreement = result.out.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !agreement.isEmpty, !agreement.contains("\n") else {
            throw DemoMismatch(expected: "an agreement id", seen: result.seen)
        }
        return agreement
    }

    func negotiateSuccessfully() throws {
        try narrator.step("Weimar negotiates a contract for Jena's car park data; both connectors sign it (`verbund negotiate`).") {
            let agreement = try negotiate(.weimar, .parking, purpose: "Verkehrsplanung")
            agreements[DemoDataset.parking.id] = agreement
            narrator.fact("agreement \(agreement)")
            // Jena finalizes its side when its dispatcher reads Weimar's acknowledgement of the FINALIZED event, which
            // can come a moment after Weimar applied it; so look again for a few seconds.
            let show = ["contracts", "show", agreement] + config(.jena)
            narrator.command(show)
            var shown = shell.run(show, show: false)
            let deadline = ContinuousClock.now + .seconds(10)
            while shown.status != 0 && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                shown = shell.run(show, show: false)
            }
            guard shown.status == 0 else { throw DemoMismatch(expected: "Jena to hold the finalized contract too", seen: shown.seen) }
            for line in shown.out.split(separator: "\n") where line.hasPrefix("consumer") || line.hasPrefix("signatures")
                || line.hasPrefix("purpose") {
                narrator.fact("Jena's copy: " + line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
            }
            guard shown.out.split(separator: "\n").contains(where: { $0.hasPrefix("signatures") && $0.hasSuffix("dual") }) else {
                throw DemoMismatch(expected: "Jena's copy of the contract signed by both cities (signatures dual)", seen: shown.seen)
            }
            return "FINALIZED: Jena agreed and signed, Weimar verified and countersigned; both hold the dual-signed contract"
        }
    }

    /// Erfurt's catalog hides its Thüringen-only offer from Herne (docs/policies.md), so Herne cannot even ask for it;
    /// Weimar, which sees it, forwards the offer, and Erfurt's policy then refuses Herne with its reason.
    func refusedByRegion() throws {
        try narrator.step("Weimar forwards Erfurt's Thüringen-only air quality offer to Herne (AGS \(DemoCity.herne.ags), Nordrhein-Westfalen), which asks Erfurt for it (`verbund negotiate --offer-file`).") {
            let offerFile = try forwardAirQualityOffer()
            let result = try shell.refused(["negotiate"] + config(.herne) + [
                "--peer", DemoCity.erfurt.id, "--dataset", DemoDataset.airQuality.id, "--offer-file", offerFile,
                "--purpose", "Luftreinhalteplanung", "--timeout", "20",
            ], "Erfurt to refuse Herne")
            let reason = result.err.replacingOccurrences(of: "error: ", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
            narrator.fact("refused: \(reason)")
            guard reason.contains("was terminated"), reason.contains("your AGS \(DemoCity.herne.ags) is not in it") else {
                throw DemoMismatch(expected: "the negotiation to end TERMINATED with Erfurt's region reason for AGS \(DemoCity.herne.ags)",
                                   seen: result.seen)
            }
            return "TERMINATED, no contract: the offer is \"\(airQualityTerms ?? "only region 16")\", Herne's AGS "
                + "\(DemoCity.herne.ags) is not in 16, and Erfurt says so"
        }
    }

    /// Weimar reads Erfurt's catalog live and saves the air quality offer (the Offer object as in the Dataset's
    /// `hasPolicy`), as a Weimar data steward would pass it on to Herne.
    private func forwardAirQualityOffer() throws(DemoMismatch) -> String {
        let listing = try shell.succeed(["catalog"] + config(.weimar) + ["--peer", DemoCity.erfurt.id, "--json"],
                                        "Weimar to read Erfurt's catalog")
        let json = try? JSONSerialization.jsonObject(with: Data(listing.out.utf8)) as? [String: Any]
        let datasets = json?["datasets"] as? [[String: Any]] ?? []
        let entry = datasets.first { $0["id"] as? String == DemoDataset.airQuality.id }
        guard let offer = (entry?["offers"] as? [[String: Any]])?.first?["policy"] as? [String: Any],
              let data = try? JSONSerialization.data(withJSONObject: offer, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw DemoMismatch(expected: "Erfurt's catalog to show Weimar the air quality offer with its policy", seen: listing.seen)
        }
        let path = workspace.root + "/forwarded-offer.json"
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw DemoMismatch(expected: "to write \(workspace.short(path))", seen: "\(error)")
        }
        narrator.fact("Weimar forwards the offer to Herne as \(workspace.short(path)): \(String(decoding: data, as: UTF8.self))")
        return path
    }
}
