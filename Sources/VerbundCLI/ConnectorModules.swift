import Foundation
import VerbundConnector

/// The modules `verbund serve` runs after the core, in this order. Each module helper adds its module here
/// (catalog, negotiation, transfer, audit). connector.json's `limits` give the crawl bounds and the resume allowance
/// (the other limits reach the connector through `Connector.start`).
enum ConnectorModules {
    static func all(limits: ConnectorLimits) -> [any ConnectorModule] {
        let negotiation = NegotiationCommands.module()
        return [CatalogCommands.module(crawlBounds: limits.crawlBounds), negotiation,
                TransferModule(contracts: negotiation.contracts, files: CatalogDatasetFiles(),
                               resumeAllowance: limits.resumeAllowance),
                AuditModule(contracts: negotiation.contracts)]
    }
}
