import Foundation
import VerbundAudit
import VerbundHTTP
import VerbundTransport
import VerbundTrust

/// The audit module's DSP and management routes.
enum AuditRoutes {
    static func registerDSP(into router: inout DSPRoutes, parts: AuditRuntime.Parts) {
        // The newest signed tree head (RFC 7515 compact JWS).
        router.get("/audit/sth") { _, _ in
            let sth = try parts.signer.signIfChanged()
            return HTTPResponse(contentType: "application/jose", bytes: Array(sth.compact.utf8))
        }
        // RFC 9162 §2.1.4 consistency proof between two sizes of this connector's log.
        router.get("/audit/consistency") { request, _ in
            guard let from = request.http.target.queryValue("from").flatMap(Int.init),
                  let to = request.http.target.queryValue("to").flatMap(Int.init), from >= 0, from <= to else {
                throw HTTPError(.badRequest, "give from=N&to=M with 0 <= N <= M")
            }
            let log = parts.context.audit.log
            let proof: ConsistencyProof
            do {
                proof = try log.consistencyProof(from: from, to: to)
            } catch let error as MerkleError {
                throw HTTPError(.badRequest, error.description)
            }
            return HTTPResponse(contentType: "application/json", bytes: try ConsistencyProofJSON.encode(proof))
        }
    }

    static func registerManagement(into router: inout Router, parts: AuditRuntime.Parts, contracts: (any ContractLookup)?) {
        router.get("/api/audit/sth") { _, _ in
            try ManagementJSON.response(TreeHeadReport(try parts.signer.signIfChanged()))
        }
        // The whole log as JSON Lines, covered exactly by the tree head in `Verbund-Tree-Head`.
        router.get("/api/audit/log") { _, _ in
            let sth = try parts.signer.signIfChanged()
            let entries = try parts.context.database.read { tx in
                try parts.context.audit.log.entries(0..<sth.treeSize, in: tx)
            }
            var response = HTTPResponse(contentType: "application/jsonl", bytes: LogExport.lines(entries))
            response.headers.set(TreeHeadRelay.header, sth.compact)
            return response
        }
        // The log's entries, filtered in the database (`AuditLogFilter`), newest first, one page: the entries as they
        // were hashed, each with its index, up to the size of the signed tree head that covers them.
        router.get("/api/audit/entries") { request, _ in
            let filter = try AuditLogFilter.requested(request.target.query)
            let page = try ManagementPage.requested(request.target.query) ?? ManagementPage(limit: 100, offset: 0)
            let sth = try parts.signer.signIfChanged()
            let found = try parts.context.database.read { tx in
                try filter.page(size: sth.treeSize, limit: page.limit, offset: page.offset, in: tx)
            }
            // The canonical JSON of each entry goes out as stored, inside the list.
            var body = Array("{\"entries\":[".utf8)
            for (position, entry) in found.entries.enumerated() {
                if position > 0 { body.append(UInt8(ascii: ",")) }
                body += Array("{\"entry\":".utf8) + Array(entry.json.utf8) + Array(",\"index\":\(entry.index)}".utf8)
            }
            body += Array("],\"treeSize\":\(sth.treeSize)}".utf8)
            return ManagementPage.counted(HTTPResponse(contentType: "application/json", bytes: body), total: found.total)
        }
        router.get("/api/audit/peers") { _, _ in
            try ManagementJSON.response(try PeerTreeHeadReport.all(context: parts.context))
        }
        router.get("/api/contracts/:id/evidence") { request, _ in
            guard let contracts else {
                throw HTTPError(.serviceUnavailable, "this connector runs without the negotiation module; there are no contracts to export")
            }
            guard let id = request.parameter("id"), !id.isEmpty else { throw HTTPError(.badRequest, "no agreement id") }
            let exporter = EvidenceExporter(context: parts.context, contracts: contracts, history: parts.history,
                                            signer: parts.signer)
            return HTTPResponse(contentType: "application/json", bytes: try exporter.bundle(agreementId: id).encoded())
        }
    }
}
