import Foundation
import VerbundStore

/// Where the transfer module learns whether a dataset is an API and how to reach its upstream (the seam to the
/// catalog, like `DatasetFileSource` for files).
package protocol DatasetUpstreamSource: Sendable {
    /// The upstream of dataset `id`, nil when it is not an API dataset published here. Read inside the deciding
    /// transaction, so a dataset withdrawn meanwhile is not forwarded to.
    func upstream(forDataset id: String, in transaction: Transaction) throws -> DatasetUpstream?
}

/// `DatasetUpstreamSource` over `catalog_dataset.upstream` (catalog migration 15); without that column nothing is an
/// API (fail closed: a transfer of an unknown dataset is refused).
package struct CatalogDatasetUpstreams: DatasetUpstreamSource {
    package init() {}

    package func upstream(forDataset id: String, in transaction: Transaction) throws -> DatasetUpstream? {
        guard try transaction.queryFirst(
            "SELECT 1 FROM pragma_table_info('catalog_dataset') WHERE name = 'upstream'") != nil else { return nil }
        guard let row = try transaction.queryFirst("SELECT upstream FROM catalog_dataset WHERE id = ?", [.text(id)]),
              let json = try row.optionalString("upstream") else { return nil }
        return try? JSONDecoder().decode(DatasetUpstream.self, from: Data(json.utf8))
    }
}

/// A fixed set of API datasets (tests).
package struct DatasetUpstreamList: DatasetUpstreamSource {
    package let upstreams: [String: DatasetUpstream]
    package init(_ upstreams: [String: DatasetUpstream]) { self.upstreams = upstreams }
    package func upstream(forDataset id: String, in transaction: Transaction) throws -> DatasetUpstream? { upstreams[id] }
}
