import VerbundStore

/// The transfer module's tables (versions 30–39, see `ConnectorModule`).
///
/// One row per transfer process and side: `local_pid` is this connector's process id (the provider's `providerPid`
/// or the consumer's `consumerPid`). The machine (`TransferProcessMachine`, JSON) is the source of truth for the
/// state; `state` mirrors it for queries. The provider's data token lives only here and in the start message.
enum TransferSchema {
    static let migrations: [Migration] = [
        Migration(version: 30, name: "transfer processes", sql: """
            CREATE TABLE transfer_process (
                local_pid TEXT PRIMARY KEY,
                role TEXT NOT NULL CHECK (role IN ('provider', 'consumer')),
                peer_member_id TEXT NOT NULL,
                consumer_pid TEXT NOT NULL,
                agreement_id TEXT NOT NULL,
                dataset_id TEXT NOT NULL,
                format TEXT NOT NULL,
                callback_address TEXT NOT NULL,
                machine TEXT NOT NULL,
                state TEXT,
                data_address TEXT,
                token TEXT,
                reason TEXT,
                etag TEXT,
                expected_sha256 TEXT,
                sha256 TEXT,
                bytes INTEGER NOT NULL DEFAULT 0,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL
            ) STRICT;
            CREATE UNIQUE INDEX transfer_process_consumer ON transfer_process (role, peer_member_id, consumer_pid);
            CREATE INDEX transfer_process_agreement ON transfer_process (agreement_id, state);
            """),
        // Push: where the consumer writes what the provider delivers (`token` holds the consumer's push token).
        Migration(version: 31, name: "transfer push target", sql: "ALTER TABLE transfer_process ADD COLUMN out_path TEXT;"),
        // Provider: when the transfer first sent data; a transfer that ever served data is a use of the contract
        // whatever state it ends in (`TransferTable.usedCount`, docs/policies.md).
        Migration(version: 32, name: "transfer served", sql: "ALTER TABLE transfer_process ADD COLUMN served_at_ms INTEGER;"),
        // API datasets (docs/operator.md, "Datasets backed by an API"): one row per request admitted for forwarding,
        // the count behind the `requestsPerDay` budget (`UpstreamRequestTable`); rows older than two days are pruned.
        Migration(version: 35, name: "upstream requests", sql: """
            CREATE TABLE upstream_request (
                id INTEGER PRIMARY KEY,
                local_pid TEXT NOT NULL,
                agreement_id TEXT NOT NULL,
                at_ms INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX upstream_request_agreement ON upstream_request (agreement_id, at_ms);
            """),
        // The transfer list newest first (`TransferTable.page`, the console's Übertragungen) walks this index instead
        // of sorting every row (docs/performance.md, "Console pages").
        Migration(version: 36, name: "transfers in creation order", sql: """
            CREATE INDEX transfer_process_created ON transfer_process (created_at_ms DESC, local_pid);
            """),
        // The outcome entry of a forwarded request is written after its answer, sharing a later commit
        // (`DeferredAuditEvents`); the row keeps what the entry needs until then, and `recorded` says it was written.
        // Rows from before were recorded at once. `TransferModule.start` records the rows a stop left unrecorded.
        Migration(version: 37, name: "upstream request outcome", sql: """
            ALTER TABLE upstream_request ADD COLUMN path TEXT NOT NULL DEFAULT '';
            ALTER TABLE upstream_request ADD COLUMN query TEXT NOT NULL DEFAULT '';
            ALTER TABLE upstream_request ADD COLUMN recorded INTEGER NOT NULL DEFAULT 1;
            CREATE INDEX upstream_request_unrecorded ON upstream_request (id) WHERE recorded = 0;
            CREATE INDEX upstream_request_time ON upstream_request (at_ms);
            """),
    ]
}
