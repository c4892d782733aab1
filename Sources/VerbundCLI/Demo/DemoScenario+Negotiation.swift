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

    func refusedByRegion() throws {
        try narrator.step("Herne (AGS \(DemoCity.herne.ags), Nordrhein-Westfalen) asks Erfurt for the Thüringen-only air quality data anyway, by its id.") {
            let result = try shell.refused(["negotiate"] + config(.herne) + [
                "--peer", DemoCity.erfurt.id, "--dataset", DemoDataset.airQuality.id, "--purpose", "Luftreinhalteplanung",
                "--timeout", "20",
            ], "Erfurt to refuse Herne")
            let reason = result.err.replacingOccurrences(of: "error: ", with: "")
            narrator.fact("refused: \(reason)")
            // Erfurt's connector evaluates the offer's policy for Herne and, as it fails, does not even reveal the offer
            // (docs/policies.md: the catalog shows each member only the offers it could negotiate now).
            guard reason.contains("404") else {
                throw DemoMismatch(expected: "Erfurt to answer Herne as for an unknown dataset (404)", seen: result.seen)
            }
            return "no contract: the offer is \"\(airQualityTerms ?? "only region 16")\", Herne's AGS \(DemoCity.herne.ags) is not in 16, "
                + "so Erfurt does not reveal it to Herne"
        }
    }
}
