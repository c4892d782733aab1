import VerbundStore

/// The negotiation module's tables (versions 20–29, see `ConnectorModule`).
enum NegotiationSchema {
    static let migrations: [Migration] = [
        Migration(version: 20, name: "negotiations and contracts", sql: """
            -- One row per negotiation on this side, keyed by our own process id (providerPid when we provide,
            -- consumerPid when we consume). `machine` is the ContractNegotiationMachine as JSON: the state the
            -- counter-party acknowledged. `pending` is the message we sent that it has not acknowledged yet
            -- (DSP: a state changes only when the counter-party acknowledges), `pending_outbox_id` its outbox id.
            CREATE TABLE negotiation (
                local_pid          TEXT PRIMARY KEY NOT NULL,
                role               TEXT NOT NULL CHECK (role IN ('provider', 'consumer')),
                peer_member_id     TEXT NOT NULL,
                peer_pid           TEXT,
                state              TEXT,
                machine            TEXT NOT NULL,
                dataset            TEXT NOT NULL,
                offer              TEXT NOT NULL,
                purpose            TEXT,
                callback_address   TEXT,
                initial_request    TEXT,
                pending            TEXT,
                pending_outbox_id  TEXT,
                agreement_id       TEXT,
                agreement          TEXT,
                provider_signature TEXT,
                consumer_signature TEXT,
                contract_jws       TEXT,
                reason             TEXT,
                created_at_ms      INTEGER NOT NULL,
                updated_at_ms      INTEGER NOT NULL,
                finalized_at_ms    INTEGER
            ) STRICT;
            CREATE UNIQUE INDEX negotiation_peer_pid ON negotiation (role, peer_member_id, peer_pid);
            CREATE UNIQUE INDEX negotiation_agreement ON negotiation (agreement_id);
            CREATE INDEX negotiation_state ON negotiation (state);
            """),
        Migration(version: 21, name: "the state before a message on the wire", sql: """
            -- Set while our pending message is on the wire: the machine as it was before the message's announced state
            -- was committed (just before the request went out). A failed attempt goes back to it; the peer's 2xx
            -- clears it. NULL while the message is queued (never sent, or refused and waiting for its retry).
            ALTER TABLE negotiation ADD COLUMN pending_sent_from TEXT;
            """),
        Migration(version: 22, name: "lists in creation order", sql: """
            -- The lists of negotiations and of contracts (`NegotiationTable.all`, the console's Verhandlungen und
            -- Verträge) are ordered newest first. Without these indexes SQLite sorted every row, reading each one's
            -- `created_at_ms` past the agreement's JWS with its certificate chains: 66 ms a page with 10 000 contracts
            -- (docs/performance.md, "Console pages"). With them a page walks the index and reads only its own rows.
            -- The second serves the contract list (`state = 'FINALIZED' AND agreement IS NOT NULL`): partial on the
            -- agreement and led by the state, so the planner prefers it to `negotiation_state` and needs no sort.
            CREATE INDEX negotiation_created ON negotiation (created_at_ms DESC, local_pid);
            CREATE INDEX negotiation_contract_created ON negotiation (state, created_at_ms DESC, local_pid)
                WHERE agreement IS NOT NULL;
            """),
    ]
}
