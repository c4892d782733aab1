import Foundation
import VerbundAudit
import VerbundDataspace
import VerbundHTTP
import VerbundJSON
import VerbundTransport
import VerbundTrust

/// Verträge: the list of contracts and one contract's page — its terms in words, both signatures as the evidence
/// verifier (`EvidenceVerifier`, the same checks as `verbund audit verify`) judges them, the transfers used and
/// remaining under an ODRL `count`, and the evidence bundle to download (`GET /api/contracts/:id/evidence`).
extension ConsoleRoutes {
    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ""
    }

    func contractList(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, requested: String?) -> String {
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let (answer, paging) = pagedCall("/api/contracts", session, requested: requested)
        guard answer.status == 200, let list = (answer.json as? [String: Any])?["contracts"] as? [[String: Any]] else {
            return "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(t(.unavailable) + " " + answer.error))</p>"
        }
        let rows: [[ConsoleHTML.Cell]] = list.map { contract in
            let id = contract["agreementId"] as? String ?? ""
            return [.html("<a href=\"/console/contracts/\(ConsoleHTML.escape(Self.pathComponent(id)))\">\(ConsoleHTML.escape(id))</a>"),
                    .text(contract["role"] as? String ?? ""), .text(contract["peer"] as? String ?? ""),
                    .text(contract["dataset"] as? String ?? ""), .text(contract["purpose"] as? String ?? ""),
                    .text(contract["finalizedAt"] as? String ?? "")]
        }
        return "<h2>\(ConsoleHTML.escape(t(.contracts)))</h2>" + ConsoleHTML.table(
            caption: t(.contracts), headers: [t(.id), t(.role), t(.partner), t(.datasetColumn), t(.purpose), t(.finalizedAt)],
            rows: rows, empty: t(.none)) + paging.navigation("/console/negotiations", language, label: t(.contracts), parameter: "vertraege")
    }

    func contractPage(_ id: String, _ session: ConsoleSessions.Session, _ language: ConsoleLanguage) -> (title: String, body: String) {
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let e = { (key: ConsoleText) in ConsoleHTML.escape(t(key)) }
        let title = t(.contract)
        let answer = call(.get, "/api/contracts/" + Self.pathComponent(id), session)
        guard answer.status == 200, let report = try? Self.decoder.decode(ContractReport.self, from: Data(answer.bytes)) else {
            return (title, "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(t(.unavailable) + " " + answer.error))</p>")
        }
        let limit = ContractUses.limit(report.agreement)
        let used = contractUses(report)
        var body = "<dl>"
        let rows: [(ConsoleText, String)] = [
            (.id, report.agreementId), (.role, report.role), (.partner, report.peer), (.datasetColumn, report.dataset),
            (.purpose, report.purpose ?? "–"), (.finalizedAt, ISO8601DateFormatter().string(from: report.finalizedAt)),
            (.signing, report.signing), (.terms, PolicyDescription.describe(report.agreement)),
            (.transfersUsed, String(used)),
            (.transfersRemaining, limit.map { String(max(0, $0 - used)) } ?? t(.unlimited)),
        ]
        for (key, value) in rows { body += "<dt>\(e(key))</dt><dd>\(ConsoleHTML.escape(value))</dd>" }
        body += "</dl><p>\(e(report.role == "provider" ? .countedByProvider : .countedHere))</p>"
        body += "<h2>\(e(.signatures))</h2>"
        if case let .refused(_, roles) = ManagementRoutePermissions.decide(session.caller.role, .get, "/api/contracts/:id/evidence") {
            body += "<p>\(e(.signaturesNeedRole)) \(ConsoleHTML.escape(roles.map(\.rawValue).joined(separator: ", ")))</p>"
            return (title, body)
        }
        let evidence = call(.get, "/api/contracts/\(Self.pathComponent(id))/evidence", session)
        guard evidence.status == 200 else {
            return (title, body + "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(t(.unavailable) + " " + evidence.error))</p>")
        }
        let verification = EvidenceVerifier.verify(evidence.bytes, root: context.trust.root, currentCRL: context.trust.crl)
        let signatureRows: [[ConsoleHTML.Cell]] = ContractSignatures.read(evidence.bytes).map { signature in
            let check = verification.report.checks.first { $0.name == "\(signature.party)-signature" }
            let verified = check.map { $0.outcome == .passed ? t(.yes) : t(.no) + ": " + $0.detail } ?? t(.unknown)
            return [.text(signature.party), .text(signature.signer), .text(signature.algorithm), .text(verified)]
        }
        body += ConsoleHTML.table(caption: t(.signatures), headers: [t(.party), t(.signer), t(.algorithm), t(.verified)],
                                  rows: signatureRows, empty: t(.none))
        body += "<p><a href=\"/console/contracts/\(ConsoleHTML.escape(Self.pathComponent(id)))/evidence\" download>\(e(.evidenceDownload))</a></p>"
        return (title, body)
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// The uses of the contract as `TransferTable.usedCount` counts them: exact on the provider's side (the count the
    /// policy is evaluated with); on the consumer's side the own transfers counted by the same rule.
    func contractUses(_ report: ContractReport) -> Int {
        (try? context.database.read { tx -> Int in
            if report.role == "provider" { return try TransferTable.usedCount(agreementId: report.agreementId, excluding: nil, in: tx) }
            let row = try tx.queryFirst("""
                SELECT COUNT(*) AS n FROM transfer_process WHERE role = 'consumer' AND agreement_id = ?
                  AND (state IS NULL OR state != 'TERMINATED' OR bytes > 0)
                """, [.text(report.agreementId)])
            return try row?.int("n") ?? 0
        }) ?? 0
    }

    /// `GET /console/contracts/:id/evidence`: the API's bundle, byte for byte, as a download.
    func evidenceDownload(_ request: HTTPRequest) -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        if let refusal = refusal(session, .get, "/console/contracts/:id/evidence", language: language) { return refusal }
        let id = request.parameter("id") ?? ""
        let answer = call(.get, "/api/contracts/\(Self.pathComponent(id))/evidence", session)
        guard answer.status == 200 else {
            let body = "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(ConsoleMessages.text(.unavailable, language) + " " + answer.error))</p>"
            return html(ConsoleHTML.page(title: ConsoleMessages.text(.contract, language), language: language,
                                         navigation: navigation(session, language), body: body),
                        status: HTTPStatus(code: answer.status, reasonPhrase: "Refused"), language: language)
        }
        var response = HTTPResponse(contentType: "application/json", bytes: answer.bytes)
        // The file name from a fixed alphabet: an agreement id comes from a peer.
        let name = String(id.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" ? Character($0) : "_" }.prefix(80))
        response.headers.set("Content-Disposition", "attachment; filename=\"evidence-\(name).json\"")
        return secure(response, language: nil)
    }
}

/// The most transfers an agreement allows: the smallest ODRL `count` bound among its permissions' top-level
/// constraints (`lteq n` allows n, `lt n` allows n−1); nil when none limits it. Pure.
package enum ContractUses {
    package static func limit(_ agreement: Agreement) -> Int? {
        var limits: [Int] = []
        for rule in agreement.permission {
            for constraint in rule.constraint {
                guard case let .atomic(atomic) = constraint, PolicyOperand(atomic.leftOperand) == .count,
                      let op = ConstraintOperator(atomic.operator), let value = atomic.rightOperand.lexicalValues.first,
                      let bound = Int(value) else { continue }
                if op == .lteq { limits.append(bound) } else if op == .lt { limits.append(bound - 1) }
            }
        }
        return limits.min()
    }
}

/// The signatures of an evidence bundle's contract: which party (by the certificate's participant id in the
/// signed agreement), the signer certificate's subject, and the JWS algorithm. Only for showing; whether a signature
/// verifies is `EvidenceVerifier`'s `provider-signature` / `consumer-signature` check.
enum ContractSignatures {
    struct Signature { let party: String, signer: String, algorithm: String }

    static func read(_ bundle: [UInt8]) -> [Signature] {
        guard let top = try? JSONSerialization.jsonObject(with: Data(bundle)) as? [String: Any],
              let contract = top["contract"], let data = try? JSONSerialization.data(withJSONObject: contract),
              let jws = try? GeneralJWS(json: Array(data)),
              let agreement = try? DSPJSON.decode(Agreement.self, from: Data(jws.payload)) else { return [] }
        let assigner = agreement.assigner, assignee = agreement.assignee
        return jws.signatures.map { signature in
            let leaf = (try? signature.header.certificateChain())?.first
            let uris = leaf?.subjectAltNameURIs ?? []
            let party = uris.contains(assigner) ? "provider" : uris.contains(assignee) ? "consumer" : "?"
            return Signature(party: party, signer: leaf?.subject ?? "?", algorithm: signature.header.alg)
        }
    }
}
