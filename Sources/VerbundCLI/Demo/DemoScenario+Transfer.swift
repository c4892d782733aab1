import Foundation

/// Transfers under the contracts: a download with progress and a verified digest, and a `count` limit reached.
extension DemoScenario {
    /// Runs `verbund fetch` as `consumer` and returns the CLI's result.
    func fetch(_ consumer: DemoCity, agreement: String, into file: String) -> DemoShell.Run {
        shell.run(["fetch"] + config(consumer) + ["--agreement", agreement, "--out", file])
    }

    func transferWithDigest() throws {
        try narrator.step("Weimar fetches Jena's car park data under the contract: progress, bytes and sha-256 (`verbund fetch`).") {
            let dataset = DemoDataset.parking
            guard let agreement = agreements[dataset.id] else {
                throw DemoMismatch(expected: "the contract of the earlier step", seen: "none")
            }
            let out = workspace.downloads(.weimar) + "/jena-parkhaus-belegung.csv"
            let result = fetch(.weimar, agreement: agreement, into: out)
            for line in result.err.split(separator: "\n") { narrator.fact(String(line)) }
            guard result.status == 0 else { throw DemoMismatch(expected: "the transfer to complete", seen: result.seen) }
            narrator.fact(result.out)
            let original = try Self.sha256(ofFile: publishedFiles[dataset.id] ?? "")
            let received = try Self.sha256(ofFile: out)
            guard original == received, result.out.contains(original) else {
                throw DemoMismatch(expected: "the downloaded file to have Jena's sha-256 \(original)", seen: "sha-256 \(received)")
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            return "\(bytes) bytes, sha-256 \(original.prefix(16))… equal to Jena's file; transfer COMPLETED"
        }
    }

    func refreshedFileIsFetchedAgain() throws {
        try narrator.step("Jena's export job appends new readings; `verbund datasets refresh` publishes a new version, and "
                          + "Weimar's same `verbund fetch` first spends nothing, then gets the new version.") {
            let dataset = DemoDataset.parking
            guard let agreement = agreements[dataset.id], let source = publishedFiles[dataset.id] else {
                throw DemoMismatch(expected: "the contract and file of the earlier steps", seen: "none")
            }
            let out = workspace.downloads(.weimar) + "/jena-parkhaus-belegung.csv"
            let again = fetch(.weimar, agreement: agreement, into: out)
            guard again.status == 0, again.out.contains("Already fetched") else {
                throw DemoMismatch(expected: "the rerun to find the verified file and start no transfer", seen: again.seen)
            }
            narrator.fact(again.out)
            let appended = "2026-12-05T06:00:00Z,P1,Parkhaus Neutor,380,212,168\n"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: source))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(appended.utf8))
            try handle.close()
            let refreshed = shell.run(["datasets", "refresh", dataset.id] + config(.jena))
            guard refreshed.status == 0, refreshed.out.contains("published version") else {
                throw DemoMismatch(expected: "Jena's refresh to publish a new version", seen: refreshed.seen)
            }
            narrator.fact(refreshed.out)
            let crawled = shell.run(["catalog", "--crawl", "--search", "Parkhausbelegung"] + config(.weimar))
            guard crawled.status == 0 else { throw DemoMismatch(expected: "Weimar's crawl", seen: crawled.seen) }
            let newer = fetch(.weimar, agreement: agreement, into: out)
            let version = try Self.sha256(ofFile: source)
            guard newer.status == 0, newer.out.contains("Dataset version \(version)"),
                  try Self.sha256(ofFile: out) == version else {
                throw DemoMismatch(expected: "Weimar to receive version \(version)", seen: newer.seen)
            }
            for line in newer.err.split(separator: "\n") where line.contains("new version") { narrator.fact(String(line)) }
            return "version \(version.prefix(16))… received and verified; no transfer was spent on the unchanged file"
        }
    }

    func countLimitReached() throws {
        try narrator.step("Herne gets a contract for Weimar's bike counts (at most 3 transfers) and fetches four times.") {
            let dataset = DemoDataset.bikeCounters
            let agreement = try negotiate(.herne, dataset, purpose: "Radverkehrsplanung")
            narrator.fact("agreement \(agreement)")
            for round in 1...3 {
                let out = workspace.downloads(.herne) + "/weimar-radzaehlung-\(round).csv"
                let result = fetch(.herne, agreement: agreement, into: out)
                guard result.status == 0 else {
                    throw DemoMismatch(expected: "transfer \(round) of 3 to complete", seen: result.seen)
                }
                narrator.fact("transfer \(round): " + result.out)
            }
            let fourth = fetch(.herne, agreement: agreement, into: workspace.downloads(.herne) + "/weimar-radzaehlung-4.csv")
            guard fourth.status == 1 else {
                throw DemoMismatch(expected: "Weimar to refuse a fourth transfer", seen: fourth.seen)
            }
            let reason = fourth.err.split(separator: "\n").last.map { $0.replacingOccurrences(of: "error: ", with: "") } ?? ""
            narrator.fact("transfer 4 refused: \(reason)")
            guard reason.contains("3") else {
                throw DemoMismatch(expected: "a reason that names the limit of 3", seen: fourth.seen)
            }
            return "3 transfers completed, the 4th refused by Weimar's connector: the count limit holds at the provider"
        }
    }
}
