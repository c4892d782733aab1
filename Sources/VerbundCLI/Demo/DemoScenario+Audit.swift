import Foundation

/// The auditor's steps: with nothing but the federation's root certificate, check a city's whole log and a contract's
/// evidence bundle offline, and see a tampered copy fail.
extension DemoScenario {
    /// The auditor gets the root certificate through a trusted channel; it is all they need.
    var auditorRoot: String { workspace.auditor + "/root.pem" }

    func handRootToAuditor() throws(DemoMismatch) {
        guard !FileManager.default.fileExists(atPath: auditorRoot) else { return }
        do {
            try FileManager.default.copyItem(atPath: workspace.admin.rootCertificate, toPath: auditorRoot)
        } catch {
            throw DemoMismatch(expected: "to give the auditor root.pem", seen: "\(error)")
        }
    }

    func verifyLog(of city: DemoCity) throws {
        try narrator.step("The auditor checks \(city.name)'s whole log offline against its signed tree head, with only the root certificate.") {
            try handRootToAuditor()
            let log = workspace.auditor + "/\(city.id)-log.jsonl"
            let head = log + ".sth.jws"
            let exported = try shell.succeed(["audit", "log", "export"] + config(city) + ["--out", log],
                                             "\(city.id) to export its log with a signed tree head")
            let entries = Self.value(after: "Wrote ", in: exported.out) ?? "?"
            narrator.fact("\(city.id) exported \(entries) log entries and a tree head signed with its member key")
            let verified = try shell.succeed(["audit", "log", "verify", log, "--sth", head, "--root", auditorRoot],
                                             "the exported log to verify")
            for line in verified.out.split(separator: "\n") where line.contains("[ok  ]") || line.contains("[note]") {
                narrator.fact(line.trimmingCharacters(in: .whitespaces))
            }

            // One changed digit in one entry must be caught: that is what the Merkle tree is for.
            let tampered = workspace.auditor + "/\(city.id)-log-tampered.jsonl"
            var lines = (try? String(contentsOfFile: log, encoding: .utf8))?.components(separatedBy: "\n") ?? []
            guard let index = lines.firstIndex(where: { $0.contains(where: \.isNumber) }),
                  let digit = lines[index].lastIndex(where: \.isNumber) else {
                throw DemoMismatch(expected: "log entries to export", seen: "an empty log")
            }
            let changed: Character = lines[index][digit] == "1" ? "2" : "1"
            lines[index].replaceSubrange(digit...digit, with: String(changed))
            do {
                try lines.joined(separator: "\n").write(toFile: tampered, atomically: true, encoding: .utf8)
            } catch {
                throw DemoMismatch(expected: "to write a tampered copy", seen: "\(error)")
            }
            narrator.fact("a copy with one digit changed in entry \(index + 1):")
            let refused = try shell.refused(["audit", "log", "verify", tampered, "--sth", head, "--root", auditorRoot],
                                            "the tampered copy to fail verification")
            let failed = refused.out.split(separator: "\n").filter { $0.contains("[FAIL]") }
            guard !failed.isEmpty else {
                throw DemoMismatch(expected: "a failed check naming the change", seen: refused.seen)
            }
            for line in failed { narrator.fact(line.trimmingCharacters(in: .whitespaces)) }
            return "the log of \(entries) entries verifies; the tampered copy fails"
        }
    }

    func verifyEvidence() throws {
        try narrator.step("The auditor verifies the evidence bundle of the Weimar–Jena contract offline (`verbund audit verify`).") {
            try handRootToAuditor()
            guard let agreement = agreements[DemoDataset.parking.id] else {
                throw DemoMismatch(expected: "the contract of the earlier step", seen: "none")
            }
            let bundle = workspace.auditor + "/contract-evidence.json"
            try shell.succeed(["contracts", "export", agreement, "--evidence"] + config(.jena) + ["--out", bundle],
                              "Jena to export the contract's evidence bundle")
            let verified = try shell.succeed(["audit", "verify", bundle, "--root", auditorRoot],
                                             "the evidence bundle to verify with only the root certificate")
            let checks = verified.out.split(separator: "\n").filter { $0.contains("[ok  ]") || $0.contains("[note]") }
            for line in checks { narrator.fact(line.trimmingCharacters(in: .whitespaces)) }
            guard verified.out.contains("Result: every check passed.") else {
                throw DemoMismatch(expected: "every check to pass", seen: verified.seen)
            }
            return "every check passed (\(checks.count) checks): who agreed to what, signed by whom, and the log entries about it"
        }
    }
}
