import VerbundHTTP
import VerbundJSON
import VerbundTransport

/// Every admin action through the management API lands in the audit log (docs/design.md §17 "Audit"): each authorized
/// request that may change something (any method but GET and HEAD), as `management.action` with the method, the route
/// pattern, the concrete path, the answer's status and
/// the account that asked (`account`, `role`; issue 12). Requests without a valid token are not recorded: a stranger on
/// the host could otherwise fill the disk with entries (`ManagementMount` only calls this after authentication).
/// Modules still record the state change itself, with its
/// details, in the transaction that makes it; this entry records that an operator asked for it and what was answered.
enum AdminActionRecord {
    static let kind = "management.action"

    static func record(_ request: HTTPRequest, pattern: String, status: Int, context: ConnectorContext) {
        guard request.method != .get, request.method != .head else { return }
        var fields: [String: JSONValue] = [
            "method": .string(request.method.rawValue), "route": .string(pattern), "path": .string(request.path),
            "status": .integer(Int64(status)), "authorized": true,
        ]
        // Who asked: the account's name and role (`management.token` for the operator token file).
        if let caller = request.caller {
            fields["account"] = .string(caller.name)
            fields["role"] = .string(caller.role.rawValue)
        }
        let event = AuditEvent(kind: kind, fields: fields)
        do {
            try context.audit.record(event)
        } catch {
            context.logger.error("audit.record.failed", ["kind": .string(kind), "error": .error(error)])
        }
    }
}
