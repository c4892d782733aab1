/// The role of a management account (issue 12): what its holder may do through the management API and the console.
///
/// | role       | may                                                                          |
/// |------------|------------------------------------------------------------------------------|
/// | `operator` | everything, accounts included                                                |
/// | `steward`  | read status and data; publish/remove datasets, crawl, negotiate, transfer     |
/// | `auditor`  | read status, data and the audit log; export evidence and logs; change nothing |
/// | `viewer`   | read the connector's status only                                             |
///
/// The connector's operator token file (`management.token`) acts as an `operator` account.
package enum AccountRole: String, Sendable, CaseIterable, Codable {
    case `operator`
    case steward
    case auditor
    case viewer

    /// What the role may do; a pure value, tested as a table.
    package var permissions: Set<ManagementPermission> {
        switch self {
        case .operator:
            return Set(ManagementPermission.allCases)
        case .steward:
            return [.readStatus, .readData, .manageDatasets, .manageCatalog, .manageNegotiations, .manageTransfers]
        case .auditor:
            return [.readStatus, .readData, .readAudit, .exportEvidence]
        case .viewer:
            return [.readStatus]
        }
    }

    package func may(_ permission: ManagementPermission) -> Bool { permissions.contains(permission) }

    /// The roles that hold `permission`, weakest first: what a 403 names as missing.
    package static func holding(_ permission: ManagementPermission) -> [AccountRole] {
        [.viewer, .auditor, .steward, .operator].filter { $0.may(permission) }
    }
}

/// One thing a management route does, as the role table grants it.
package enum ManagementPermission: String, Sendable, CaseIterable, Codable {
    /// Status, health, peers' reachability.
    case readStatus
    /// Datasets, the federated catalog, negotiations, contracts, transfers (read only).
    case readData
    /// The audit log, tree heads, peers' consistency.
    case readAudit
    /// Evidence bundles and log exports.
    case exportEvidence
    /// Publish and remove datasets.
    case manageDatasets
    /// Crawl the federation's catalogs.
    case manageCatalog
    /// Start negotiations.
    case manageNegotiations
    /// Start, download, suspend, resume, terminate transfers.
    case manageTransfers
    /// Add, remove, reset accounts.
    case manageAccounts
}
