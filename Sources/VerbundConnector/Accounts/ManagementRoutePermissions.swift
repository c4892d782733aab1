import VerbundHTTP
import VerbundTransport

/// Which permission each management route needs: a pure table keyed by method and route pattern as the modules
/// register them. A route that is not in the table is refused to every role but `operator` (fail closed), and
/// `AccountRoleTests` fails for it, so a new route cannot be added without deciding who may call it.
/// `HEAD` needs what `GET` needs. The open routes need nothing: `/healthz`, `/metrics`, the API document, and the
/// catch-all `/*` that only answers 404/405 in JSON (`ManagementMount`).
package enum ManagementRoutePermissions {
    package static let open: Set<String> = ["/healthz", "/metrics", "/api/openapi.json", "/*",
                                            "/console/login", "/console/logout", "/console/style.css",
                                            "/console/transfers.js"]

    /// The console's pages (`ConsoleRoutes`): they authenticate with the console's session cookie, not with
    /// `Authorization`, and check the session's role against this table themselves.
    package static func isConsole(_ pattern: String) -> Bool { pattern == "/console" || pattern.hasPrefix("/console/") }

    /// "METHOD pattern" → permission.
    package static let table: [String: ManagementPermission] = [
        "GET /api/status": .readStatus,
        "GET /api/peers": .readStatus,

        "GET /api/catalog/datasets": .readData,
        "GET /api/catalog/datasets/:id": .readData,
        "GET /api/catalog/federated": .readData,
        "GET /api/catalog/crawl": .readData,
        "GET /api/catalog/peers/:member": .readData,
        "GET /api/negotiations": .readData,
        "GET /api/negotiations/:id": .readData,
        "GET /api/contracts": .readData,
        "GET /api/contracts/:id": .readData,
        "GET /api/transfers": .readData,
        "GET /api/transfers/:pid": .readData,

        "GET /api/audit/entries": .readAudit,
        "GET /api/audit/log": .readAudit,
        "GET /api/audit/peers": .readAudit,
        "GET /api/audit/sth": .readAudit,
        "GET /api/contracts/:id/evidence": .exportEvidence,
        "GET /api/contracts/:id/export": .exportEvidence,

        "POST /api/catalog/datasets": .manageDatasets,
        "DELETE /api/catalog/datasets/:id": .manageDatasets,
        "POST /api/catalog/datasets/:id/refresh": .manageDatasets,
        "POST /api/catalog/crawl": .manageCatalog,
        "POST /api/outbox/retry": .manageTransfers,
        "POST /api/negotiations": .manageNegotiations,
        "POST /api/transfers": .manageTransfers,
        "POST /api/transfers/:pid/download": .manageTransfers,
        "POST /api/transfers/:pid/suspend": .manageTransfers,
        "POST /api/transfers/:pid/resume": .manageTransfers,
        "POST /api/transfers/:pid/terminate": .manageTransfers,
        // Using a partner's API spends the contract's request budget: whoever may start transfers.
        "GET /api/transfers/:pid/data": .manageTransfers,
        "GET /api/transfers/:pid/data/*": .manageTransfers,

        "GET /api/accounts": .manageAccounts,
        "POST /api/accounts": .manageAccounts,
        "DELETE /api/accounts/:name": .manageAccounts,
        "POST /api/accounts/:name/reset": .manageAccounts,

        "GET /console": .readStatus,
        "GET /console/datasets": .readData,
        "GET /console/negotiations": .readData,
        "GET /console/federation": .readStatus,
        "GET /console/audit": .readAudit,
        "POST /console/datasets/:id/refresh": .manageDatasets,
        "POST /console/datasets/:id/remove": .manageDatasets,
        "GET /console/datasets/new": .manageDatasets,
        "GET /console/contracts/:id": .readData,
        "GET /console/transfers": .readData,
        "GET /console/catalog": .readData,
        "POST /console/catalog/crawl": .manageCatalog,
        "POST /console/catalog/negotiate": .manageNegotiations,
        "GET /console/accounts": .manageAccounts,
        "POST /console/accounts/add": .manageAccounts,
        "POST /console/accounts/:name/reset": .manageAccounts,
        "POST /console/accounts/:name/remove": .manageAccounts,
        "POST /console/audit/verify": .readAudit,
        "GET /console/transfers/progress": .readData,
        "POST /console/transfers/:pid/suspend": .manageTransfers,
        "POST /console/transfers/:pid/resume": .manageTransfers,
        "POST /console/transfers/:pid/terminate": .manageTransfers,
        "GET /console/contracts/:id/evidence": .exportEvidence,
        "POST /console/datasets/publish": .manageDatasets,
    ]

    /// What a decision about one request is.
    package enum Decision: Sendable, Equatable {
        case allowed
        /// Refused: the permission the route needs (nil: the route has no entry) and the roles that hold it.
        case refused(needs: ManagementPermission?, roles: [AccountRole])
    }

    /// The permission `method pattern` needs; nil when the table has no entry.
    package static func required(_ method: HTTPMethod, _ pattern: String) -> ManagementPermission? {
        let name = method == .head ? "GET" : method.description
        return table["\(name) \(pattern)"]
    }

    /// Whether `role` may call `method pattern`.
    package static func decide(_ role: AccountRole, _ method: HTTPMethod, _ pattern: String) -> Decision {
        if open.contains(pattern) { return .allowed }
        guard let permission = required(method, pattern) else {
            return role == .operator ? .allowed : .refused(needs: nil, roles: [.operator])
        }
        return role.may(permission) ? .allowed : .refused(needs: permission, roles: AccountRole.holding(permission))
    }

    /// The JSON error text of a refusal: which role the caller has and which roles the route needs.
    package static func refusalMessage(_ role: AccountRole, _ method: HTTPMethod, _ pattern: String,
                                       needs: ManagementPermission?, roles: [AccountRole]) -> String {
        let what = needs.map { "the permission \($0.rawValue)" } ?? "a permission no role but operator holds"
        return "\(method) \(pattern) needs \(what), held by the role(s) \(roles.map(\.rawValue).joined(separator: ", ")); "
            + "this account has the role \(role.rawValue)"
    }
}

/// The body of a 403: the reason in words plus what a client needs to act on it (which account and role asked,
/// which permission the route needs and which roles hold it).
package struct RoleRefusal: Sendable, Equatable, Codable {
    package let error: String
    package let account: String
    package let role: AccountRole
    /// Nil for a route the table does not list (operator only).
    package let permission: ManagementPermission?
    package let roles: [AccountRole]
}

extension ManagementJSON {
    /// 403 with a `RoleRefusal` body.
    package static func forbidden(_ refusal: RoleRefusal) -> HTTPResponse {
        (try? response(refusal, status: .forbidden)) ?? error(refusal.error, status: .forbidden)
    }
}
