import VerbundAudit

/// One fact for the connector's Merkle log: what happened (`kind`, e.g. `registry.accepted`, `negotiation.agreed`)
/// and its details. Stored as canonical JSON (RFC 8785) `{"kind": …, "at": <ms>, "fields": {…}}`; `at` is added by
/// `AuditTrail` from the context's clock so entries are ordered in time as well as by index.
package struct AuditEvent: Sendable, Hashable {
    /// Dotted lowercase name of the event; modules prefix their own (`catalog.`, `negotiation.`, `transfer.`).
    package let kind: String
    package let fields: [String: JSONValue]

    package init(kind: String, fields: [String: JSONValue] = [:]) {
        self.kind = kind
        self.fields = fields
    }

    /// The entry as logged, with the time in milliseconds since the Unix epoch.
    func entry(atMilliseconds milliseconds: Int64) -> JSONValue {
        .object(["kind": .string(kind), "at": .integer(milliseconds), "fields": .object(fields)])
    }
}
