import Foundation
import VerbundAudit
import VerbundConnector
import VerbundJSON
import VerbundTrust

/// `verbund audit …`: offline verification of evidence bundles and log exports, and the daemon's log, tree heads and
/// peers' tree heads through the management API.
enum AuditCommands {
    static var group: CommandGroup {
        CommandGroup(name: "audit", summary: "verify evidence and logs offline; the connector's signed log", children: [
            .command(verify), .group(log), .command(sth), .command(peers), .command(evidence),
        ])
    }

    private static let configOption = OptionSpec.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG).")
    private static let rootOption = OptionSpec.value("root", "FILE", "The federation root certificate (PEM), e.g. federation-config/root.pem.")
    private static let jsonOption = OptionSpec.flag("json", "Print the result as JSON.")

    static var verify: Command {
        Command(
            name: "verify",
            summary: "check an evidence bundle offline: signatures, chains, revocation, membership, log proofs",
            arguments: "BUNDLE.json",
            discussion: """
                Needs no daemon and no network, only the federation's root certificate. Checks both signatures of the
                contract, both chains to the root, that neither certificate was revoked when the contract was signed
                (with --crl also whether it is revoked now), that the signers are the agreement's assigner and
                assignee and active members in the registry of that time, every log entry's inclusion proof and the
                signed tree head. Prints the contract in plain words and every check; exits 0 only if all pass.
                Example: verbund audit verify bundle.json --root federation-config/root.pem --crl crl.pem
                """,
            options: [rootOption, .value("crl", "FILE", "A newer CRL (PEM or DER) to tell whether a signer is revoked now."), jsonOption]
        ) { arguments, console in
            let file = try arguments.expectPositionals(["BUNDLE.json"])[0]
            let root = try rootCertificate(arguments)
            let crl = try arguments.value("crl").map(readCRL)
            let verification = EvidenceVerifier.verify(try readFile(file), root: root, currentCRL: crl)
            if arguments.flag("json") {
                console.out(TerminalText.json(try json(verification.report, extra: verification.summary.map { ["contract": try encodable($0)] } ?? [:])))
            } else {
                // The bundle (ids, names, purpose) was written by whoever handed it over.
                if let summary = verification.summary { console.out(TerminalText.shownLines(summary.text) + "\n") }
                for line in lines(verification.report) { console.out(line) }
            }
            try conclude(verification.report, what: "the evidence bundle")
        }
    }

    static var log: CommandGroup {
        CommandGroup(name: "log", summary: "export the connector's whole log, or verify an export offline", children: [
            .command(logExport), .command(logVerify),
        ])
    }

    static var logExport: Command {
        Command(
            name: "export",
            summary: "write the whole log as JSON Lines, with a signed tree head covering it",
            discussion: """
                Each line is one entry, exactly the bytes hashed into the Merkle tree (leaf = SHA-256(0x00 ‖ line)).
                The tree head the daemon signs for the export is written to --sth-out (default: the --out file with
                .sth.jws appended).
                Example: verbund audit log export --config jena/connector.json --out log.jsonl
                """,
            options: [configOption, .value("out", "FILE", "Where to write the log."),
                      .value("sth-out", "FILE", "Where to write the signed tree head (compact JWS)."), jsonOption]
        ) { arguments, console in
            let out = try arguments.required("out")
            let sthOut = arguments.value("sth-out") ?? out + ".sth.jws"
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let response = try client.send(.get, "/api/audit/log")
            guard response.status.code == 200, let head = response.headers[TreeHeadRelay.header] else {
                throw CLIError.refused("the connector answered \(response.status.code): \(String(decoding: response.body, as: UTF8.self))")
            }
            try write(response.body, to: out)
            try write(Array((head + "\n").utf8), to: sthOut)
            let count = LogExport.split(response.body).count
            if arguments.flag("json") {
                console.out(MemberJSON.text(["entries": .integer(Int64(count)), "file": .string(out),
                                             "signedTreeHeadFile": .string(sthOut)] as JSONValue))
                return
            }
            console.out("Wrote \(count) entries to \(out) and the signed tree head to \(sthOut).")
        }
    }

    static var logVerify: Command {
        Command(
            name: "verify",
            summary: "re-hash a log export offline and check it against a signed tree head",
            arguments: "LOG.jsonl",
            discussion: """
                Checks the tree head's signature and that its signer chains to the root, that every line is canonical
                JSON, that the file holds every entry the head covers, and that they re-hash to its root hash. A
                changed, removed, inserted or reordered entry makes it fail and name the check.
                Example: verbund audit log verify log.jsonl --sth log.jsonl.sth.jws --root root.pem
                """,
            options: [.value("sth", "FILE", "The signed tree head (compact JWS); default LOG.jsonl.sth.jws, as export writes it."), rootOption,
                      .value("crl", "FILE", "A CRL the tree head's signer must not be on."), jsonOption]
        ) { arguments, console in
            let file = try arguments.expectPositionals(["LOG.jsonl"])[0]
            let sthFile = arguments.value("sth") ?? file + ".sth.jws"
            guard arguments.value("sth") != nil || FileManager.default.fileExists(atPath: sthFile) else {
                throw CLIError.usage("no --sth given and \(sthFile) (where `audit log export` puts it) does not exist; "
                    + "pass the signed tree head with --sth FILE")
            }
            let head = String(decoding: try readFile(sthFile), as: UTF8.self)
            let root = try rootCertificate(arguments)
            let crl = try arguments.value("crl").map(readCRL)
            let report = LogExport.verify(try readFile(file), signedTreeHead: head, root: root, crl: crl)
            if arguments.flag("json") {
                console.out(TerminalText.json(try json(report, extra: [:])))
            } else {
                for line in lines(report) { console.out(line) }
            }
            try conclude(report, what: "the log")
        }
    }

    static var sth: Command {
        Command(
            name: "sth",
            summary: "print the connector's newest signed tree head",
            discussion: "Prints the compact JWS (save it as sth.jws), or with --json its size, root hash and time.\nExample: verbund audit sth --config jena/connector.json > sth.jws",
            options: [configOption, jsonOption]
        ) { arguments, console in
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let report = try client.get("/api/audit/sth", as: TreeHeadReport.self)
            if arguments.flag("json") {
                console.out(String(decoding: try ManagementJSON.encoder().encode(report), as: UTF8.self))
            } else {
                console.out(report.jws)
            }
        }
    }

    static var peers: Command {
        Command(
            name: "peers",
            summary: "show the peers' signed tree heads held and whether each peer's log stayed consistent",
            discussion: "A peer marked INCONSISTENT presented a signed tree head that does not extend an earlier one: its log was rewritten or forked. --json includes both heads as evidence.\nExample: verbund audit peers --config jena/connector.json",
            options: [configOption, jsonOption]
        ) { arguments, console in
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let response = try client.send(.get, "/api/audit/peers")
            let reports = try client.decode(response, as: [PeerTreeHeadReport].self)
            if arguments.flag("json") {
                console.out(TerminalText.json(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
                return
            }
            if reports.isEmpty { console.out("No signed tree heads received from peers yet.") }
            let date = ISO8601DateFormatter()
            for report in reports {
                let status = report.status == "consistent" ? "consistent" : "INCONSISTENT"
                console.out("\(TerminalText.shown(report.member)): \(status) — size \(report.treeSize), root \(report.rootHash.prefix(16))…, signed \(date.string(from: report.timestamp)), \(report.headsReceived) heads")
                if let problem = report.problem { console.out("  problem: \(TerminalText.shown(problem))") }
            }
        }
    }

    static var evidence: Command {
        Command(
            name: "evidence",
            summary: "export the evidence bundle of a contract (same as contracts export ID --evidence)",
            arguments: "AGREEMENT-ID",
            discussion: "Example: verbund audit evidence urn:uuid:… --config jena/connector.json --out bundle.json",
            options: [configOption, .value("out", "FILE", "Where to write the bundle."), jsonOption]
        ) { arguments, console in
            let id = try arguments.expectPositionals(["AGREEMENT-ID"])[0]
            let out = try arguments.required("out")
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            try exportEvidence(client: client, agreementId: id, to: out)
            if arguments.flag("json") {
                console.out(MemberJSON.text(["agreementId": .string(id), "kind": "evidence", "file": .string(out)] as JSONValue))
                return
            }
            console.out("Wrote the evidence bundle of \(TerminalText.shown(id)) to \(out). Verify it with: verbund audit verify \(out) --root root.pem")
        }
    }

    /// Fetches `GET /api/contracts/:id/evidence` and writes it; for `contracts export ID --evidence` too.
    static func exportEvidence(client: ManagementClient, agreementId: String, to path: String) throws {
        let encoded = agreementId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? agreementId
        let response = try client.send(.get, "/api/contracts/\(encoded)/evidence")
        guard response.status.code == 200 else {
            let message = (try? JSONDecoder().decode([String: String].self, from: Data(response.body)))?["error"]
                ?? String(decoding: response.body, as: UTF8.self)
            throw CLIError.refused("the connector answered \(response.status.code): \(TerminalText.shown(message))")
        }
        try write(response.body, to: path)
    }

    // MARK: Output

    static func lines(_ report: AuditReport) -> [String] {
        var lines = ["Checks:"]
        for check in report.checks {
            let mark = switch check.outcome {
            case .passed: "ok  "
            case .failed: "FAIL"
            case .notice: "note"
            }
            lines.append("  [\(mark)] \(check.name): \(TerminalText.shown(check.detail))")
        }
        let failed = report.failed
        lines.append(failed.isEmpty ? "Result: every check passed."
                                    : "Result: FAILED — \(failed.map(\.name).joined(separator: ", ")).")
        return lines
    }

    private static func conclude(_ report: AuditReport, what: String) throws {
        guard report.succeeded else {
            throw CLIError.refused("\(what) did not verify: \(report.failed.map(\.name).joined(separator: ", "))")
        }
    }

    private static func json(_ report: AuditReport, extra: [String: JSONValue]) throws -> String {
        var object = extra
        object["ok"] = .bool(report.succeeded)
        object["checks"] = .array(report.checks.map { check in
            ["name": .string(check.name), "outcome": .string(check.outcome.rawValue), "detail": .string(check.detail)]
        })
        return try CanonicalJSON.string(.object(object))
    }

    private static func encodable<Value: Encodable>(_ value: Value) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try CanonicalJSON.decode(Array(try encoder.encode(value)))
    }

    // MARK: Files

    private static func rootCertificate(_ arguments: ParsedArguments) throws -> Certificate {
        let path = try arguments.required("root")
        do {
            return try Certificate(pem: String(decoding: try readFile(path), as: UTF8.self))
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.refused("\(path) is not a PEM certificate: \(error)")
        }
    }

    private static func readCRL(_ path: String) throws -> CertificateRevocationList {
        let bytes = try readFile(path)
        do {
            if bytes.starts(with: Array("-----BEGIN".utf8)) {
                return try CertificateRevocationList(pem: String(decoding: bytes, as: UTF8.self))
            }
            return try CertificateRevocationList(der: bytes)
        } catch {
            throw CLIError.refused("\(path) is not a CRL (PEM or DER): \(error)")
        }
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.refused("cannot read \(path)")
        }
        return Array(data)
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CLIError.refused("cannot write \(path)")
        }
    }
}
