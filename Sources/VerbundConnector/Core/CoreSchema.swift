import VerbundStore

/// The core's tables (versions 2–9, see `ConnectorModule`).
enum CoreSchema {
    static let migrations: [Migration] = [
        Migration(version: 2, name: "outbox routes", sql: """
            -- Next to the store's outbox: what kind of message it is, what it belongs to, the member it goes to
            -- (its endpoint is looked up in the registry at delivery time) and how it ended.
            CREATE TABLE connector_outbox_route (
                message_id      TEXT PRIMARY KEY NOT NULL REFERENCES outbox (id),
                kind            TEXT NOT NULL,
                correlation     TEXT,
                member_id       TEXT,
                member_path     TEXT CHECK (member_path IS NULL OR member_path LIKE '/%'),
                outcome         TEXT CHECK (outcome IN ('acknowledged', 'refused', 'undeliverable')),
                response_status INTEGER,
                finished_at_ms  INTEGER
            ) STRICT;
            CREATE INDEX connector_outbox_route_correlation ON connector_outbox_route (kind, correlation);
            """),
        Migration(version: 3, name: "accounts", sql: """
            -- Management accounts (issue 12): a name, a role, the PBKDF2-HMAC-SHA256 hash of the secret
            -- (SecretHash.encoded); never the secret itself.
            CREATE TABLE connector_account (
                name           TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
                role           TEXT NOT NULL CHECK (role IN ('operator', 'steward', 'auditor', 'viewer')),
                secret_hash    TEXT NOT NULL,
                created_at_ms  INTEGER NOT NULL,
                changed_at_ms  INTEGER NOT NULL
            ) STRICT;
            """),
    ]
}
