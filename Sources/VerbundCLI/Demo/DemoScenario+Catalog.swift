import Foundation
import VerbundTrust

/// The data stewards publish the sample datasets with their policies; members search the federated catalog.
extension DemoScenario {
    func publishDatasets() throws {
        try narrator.step("The data stewards publish generated sample datasets, each with its own usage policy (`verbund datasets publish`).") {
            let policies = workspace.samples + "/policies"
            try? FileManager.default.createDirectory(atPath: policies, withIntermediateDirectories: true)
            for dataset in DemoDataset.all {
                let file: (path: String, bytes: Int)
                do {
                    file = try dataset.generate(workspace.samples)
                } catch {
                    throw DemoMismatch(expected: "to generate \(dataset.id)", seen: "\(error)")
                }
                publishedFiles[dataset.id] = file.path
                var arguments = ["datasets", "publish"] + config(dataset.owner) + [
                    "--id", dataset.id, "--file", file.path, "--title", dataset.title, "--description", dataset.description,
                    "--license", "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
                ]
                for keyword in dataset.keywords { arguments += ["--keyword", keyword] }
                arguments += DemoDataset.openData[dataset.id] ?? []
                if let policy = dataset.policy {
                    let policyFile = policies + "/\(dataset.id).json"
                    do {
                        try (policy + "\n").write(toFile: policyFile, atomically: true, encoding: .utf8)
                    } catch {
                        throw DemoMismatch(expected: "to write \(workspace.short(policyFile))", seen: "\(error)")
                    }
                    narrator.fact("\(workspace.short(policyFile)): \(policy)")
                    arguments += ["--policy", policyFile]
                }
                let result = try shell.succeed(arguments, "\(dataset.owner.id) to publish \(dataset.id)")
                let sha256 = Self.value(after: "sha-256  ", in: result.out) ?? "?"
                let expectedSHA = try Self.sha256(ofFile: file.path)
                guard sha256 == expectedSHA else {
                    throw DemoMismatch(expected: "the published sha-256 \(expectedSHA)", seen: sha256)
                }
                let terms = result.out.split(separator: "\n").first { $0.contains("offer ") }
                    .map { String($0).replacingOccurrences(of: "offer", with: "").trimmingCharacters(in: .whitespaces) } ?? "?"
                narrator.fact("→ \(dataset.owner.id): \(dataset.id), \(Self.size(file.bytes)), offer: \(terms)"
                    + (DemoDataset.openData[dataset.id] == nil ? "" : "; also open data (download without a contract: /open/\(dataset.id))"))
            }
            return "4 datasets published: members only, valid until a date, Thüringen only, at most 3 transfers"
        }
    }

    func searchCatalog() throws {
        try narrator.step("Weimar and Herne search the federated catalog; each sees only the offers it could agree to (`verbund catalog`).") {
            let weimar = try shell.succeed(["catalog"] + config(.weimar) + ["--crawl", "--search", "Luftqualität"],
                                           "Weimar's connector to crawl the members and search")
            for line in weimar.out.split(separator: "\n") { narrator.fact(String(line)) }
            guard weimar.out.contains(DemoDataset.airQuality.id) else {
                throw DemoMismatch(expected: "Weimar (AGS 16…) to find Erfurt's Thüringen-only air quality data", seen: weimar.seen)
            }
            airQualityTerms = weimar.out.split(separator: "\n").first { $0.contains("offer ") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) }
            let herne = try shell.succeed(["catalog"] + config(.herne) + ["--crawl"], "Herne's connector to crawl the members")
            let found = DemoDataset.all.filter { herne.out.contains($0.id) }.map(\.id)
            narrator.fact("Herne's federated catalog: \(found.joined(separator: ", "))")
            guard !found.contains(DemoDataset.airQuality.id), found.count == 3 else {
                throw DemoMismatch(expected: "Herne to see the 3 datasets open to it but not \(DemoDataset.airQuality.id)",
                                   seen: found.joined(separator: ", "))
            }
            return "Weimar finds Erfurt's air quality data; Herne (AGS 05…, Nordrhein-Westfalen) sees 3 datasets, not that one"
        }
    }

    static func sha256(ofFile path: String) throws(DemoMismatch) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DemoMismatch(expected: "to read \(path)", seen: "no such file")
        }
        return Hex.encode(SHA256.hash(Array(data)))
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
            : String(format: "%.0f KiB", Double(bytes) / 1024)
    }
}
