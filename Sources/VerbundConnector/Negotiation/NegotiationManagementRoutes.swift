import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// The management API of negotiations and contracts (docs/management-api.md, "Negotiation").
struct NegotiationManagementRoutes {
    let engine: NegotiationEngine
    let datasets: any DatasetSource

    func register(into router: inout Router) {
        let engine = self.engine
        let datasets = self.datasets
        let context = engine.context
        router.post("/api/negotiations", bodyLimit: 64 * 1024) { http, body in
            let request = try ManagementBody.decode(NegotiationStartRequest.self, from: try body.readAll(),
                                                    fields: NegotiationStartRequest.fields)
            // A dataset id is an IRI or a plain name (DSP 2025-1 §3.3.1): never empty, never a control character.
            guard !request.dataset.isEmpty, request.dataset.utf8.count <= 1000,
                  !request.dataset.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                return ManagementJSON.error("dataset must be a dataset id of 1 to 1000 characters without control "
                    + "characters, as `verbund catalog` shows it", status: .badRequest)
            }
            guard request.peer != context.identity.memberId else {
                return ManagementJSON.error("a connector cannot negotiate with itself", status: .badRequest)
            }
            guard let member = context.peers.member(id: request.peer) else {
                return ManagementJSON.error("the registry lists no member '\(request.peer)'", status: .notFound)
            }
            guard member.status == .active else {
                return ManagementJSON.error("member '\(member.id)' is \(member.status.rawValue)", status: .conflict)
            }
            if let forwarded = request.offerPolicy {
                let offer: Offer
                do {
                    if let asked = request.offer, asked != forwarded.id {
                        throw ForwardedOfferError.otherId(offer: forwarded.id, requested: asked)
                    }
                    offer = try ForwardedOffer.prepare(forwarded, dataset: request.dataset)
                } catch {
                    return ManagementJSON.error("offerPolicy cannot be requested: \(error)", status: .badRequest)
                }
                let record = try engine.startConsuming(peer: member.id, dataset: request.dataset, offer: offer, purpose: request.purpose,
                                                   by: http.caller)
                return try ManagementJSON.response(NegotiationReport(record), status: .created)
            }
            let dataset: VerbundDataspace.Dataset
            do {
                dataset = try datasets.dataset(request.dataset, of: member.id, context: context)
            } catch let error as DatasetSourceError where error.peerStatus == 404 || error.peerStatus == 400 {
                // The peer is fine and says it has no such dataset, or that the id cannot be one: the caller asked
                // for the wrong one.
                return ManagementJSON.error("cannot read dataset \(request.dataset) of \(member.id): \(error); "
                    + "see `verbund catalog --member \(member.id)`", status: error.peerStatus == 404 ? .notFound : .badRequest)
            } catch {
                return ManagementJSON.error("cannot read dataset \(request.dataset) of \(member.id): \(error)", status: HTTPStatus(code: 502, reasonPhrase: "Bad Gateway"))
            }
            let offers = dataset.hasPolicy
            guard let offer = request.offer.map({ id in offers.first { $0.id == id } }) ?? offers.first else {
                let known = offers.map(\.id).joined(separator: ", ")
                return ManagementJSON.error("dataset \(request.dataset) of \(member.id) has no offer \(request.offer ?? "") (offers: \(known))",
                                            status: .notFound)
            }
            let record = try engine.startConsuming(peer: member.id, dataset: dataset.id, offer: offer, purpose: request.purpose,
                                                   by: http.caller)
            return try ManagementJSON.response(NegotiationReport(record), status: .created)
        }
        router.get("/api/negotiations") { request, _ in
            // The newest 1000, or one page (`ManagementPage`) with the total in `X-Total-Count`.
            let page = try ManagementPage.requested(request.target.query)
            let (records, total) = try context.database.read { tx in
                (try NegotiationTable.all(limit: page?.limit ?? 1000, offset: page?.offset ?? 0, in: tx),
                 page == nil ? 0 : try NegotiationTable.count(in: tx))
            }
            let response = try ManagementJSON.response(["negotiations": records.map(NegotiationReport.init)])
            return page == nil ? response : ManagementPage.counted(response, total: total)
        }
        router.get("/api/negotiations/:id") { request, _ in
            let id = request.parameter("id") ?? ""
            guard let record = try context.database.read({ tx in try NegotiationTable.find(localPid: id, in: tx) }) else {
                return ManagementJSON.error("no negotiation \(id)", status: .notFound)
            }
            return try ManagementJSON.response(NegotiationReport(record))
        }
        router.get("/api/contracts") { request, _ in
            let page = try ManagementPage.requested(request.target.query)
            let (records, total) = try context.database.read { tx in
                (try NegotiationTable.all(finalizedOnly: true, limit: page?.limit ?? 1000, offset: page?.offset ?? 0, in: tx),
                 page == nil ? 0 : try NegotiationTable.count(finalizedOnly: true, in: tx))
            }
            let response = try ManagementJSON.response(["contracts": records.compactMap(ContractReport.init)])
            return page == nil ? response : ManagementPage.counted(response, total: total)
        }
        router.get("/api/contracts/:id") { request, _ in
            let id = request.parameter("id") ?? ""
            guard let record = try Self.contract(id, context: context), let report = ContractReport(record) else {
                return ManagementJSON.error("no finalized contract \(id)", status: .notFound)
            }
            return try ManagementJSON.response(report)
        }
        router.get("/api/contracts/:id/export") { request, _ in
            let id = request.parameter("id") ?? ""
            guard let record = try Self.contract(id, context: context), ContractReport(record) != nil else {
                return ManagementJSON.error("no finalized contract \(id)", status: .notFound)
            }
            guard let jws = record.contractJWS else {
                return ManagementJSON.error("contract \(id) carries no signature (the peer is a plain DSP connector)", status: .notFound)
            }
            // RFC 7515 §9.2.1: the JSON serialization's media type.
            return HTTPResponse(contentType: "application/jose+json", bytes: Array(jws.utf8) + [0x0a])
        }
    }

    /// A contract by agreement id, or by the negotiation's id.
    private static func contract(_ id: String, context: ConnectorContext) throws -> NegotiationRecord? {
        try context.database.read { tx in
            try NegotiationTable.find(agreementId: id, in: tx) ?? NegotiationTable.find(localPid: id, in: tx)
        }
    }
}
