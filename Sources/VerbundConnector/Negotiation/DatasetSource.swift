import Foundation
import VerbundDataspace
import VerbundHTTP

/// Where a consumer learns a peer's offers for a dataset before it requests one.
package protocol DatasetSource: Sendable {
    /// The dataset `id` as member `peer` publishes it (with its offers).
    func dataset(_ id: String, of peer: String, context: ConnectorContext) throws -> Dataset
}

/// Asks the peer itself: `GET <endpoint>/catalog/datasets/:id` (DSP 2025-1 catalog HTTPS binding), over mTLS.
package struct PeerDatasetSource: DatasetSource {
    package init() {}

    package func dataset(_ id: String, of peer: String, context: ConnectorContext) throws -> Dataset {
        let response = try context.peerClient.send(toMember: peer, method: .get,
                                                   path: "/catalog/datasets/" + NegotiationEngine.pathSegment(id),
                                                   maxBodyBytes: 4 << 20)
        guard response.status.code == 200 else {
            // The peer's reasons are its words: a few, cut short, before they reach an operator's screen.
            let reasons = ((try? DSPJSON.decode(CatalogError.self, from: Data(response.body)))?.reason ?? [])
                .prefix(3).map { String($0.prefix(300)) }
            throw DatasetSourceError("member \(peer) answered \(response.status.code) for dataset \(id)"
                                     + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")),
                                     peerStatus: response.status.code)
        }
        do {
            return try DSPJSON.decode(Dataset.self, from: Data(response.body))
        } catch {
            throw DatasetSourceError("member \(peer) sent no valid Dataset for \(id): \(error)")
        }
    }
}

/// The dataset or its offers could not be read from the peer.
package struct DatasetSourceError: Error, Sendable, CustomStringConvertible {
    package let description: String
    /// The peer's HTTP status when it answered; nil when it could not be reached or sent nonsense.
    package let peerStatus: Int?
    package init(_ description: String, peerStatus: Int? = nil) {
        self.description = description
        self.peerStatus = peerStatus
    }
}
