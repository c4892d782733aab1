import Foundation
import VerbundConnector

/// The modules `verbund serve` runs after the core, in this order. Each module helper adds its module here
/// (catalog, negotiation, transfer, audit).
enum ConnectorModules {
    static var all: [any ConnectorModule] {
        let negotiation = NegotiationCommands.module()
        return [CatalogCommands.module, negotiation,
                TransferModule(contracts: negotiation.contracts, files: CatalogDatasetFiles()),
                AuditModule(contracts: negotiation.contracts)]
    }
}
