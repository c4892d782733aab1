import VerbundStore

/// The catalog module's tables (versions 10–19, see `ConnectorModule`).
enum CatalogSchema {
    static let migrations: [Migration] = [
        Migration(version: 10, name: "catalog datasets and federated cache", sql: """
            -- The datasets this member publishes. `seq` orders the catalog and is the pagination cursor (keyset
            -- paging stays fast at any depth); `record` is the DatasetRecord as JSON; `file_path` is what the
            -- transfer module serves.
            CREATE TABLE catalog_dataset (
                seq             INTEGER PRIMARY KEY AUTOINCREMENT,
                id              TEXT NOT NULL UNIQUE,
                file_path       TEXT NOT NULL,
                record          TEXT NOT NULL,
                published_at_ms INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE catalog_dataset_keyword (
                seq     INTEGER NOT NULL REFERENCES catalog_dataset (seq) ON DELETE CASCADE,
                keyword TEXT NOT NULL,
                PRIMARY KEY (keyword, seq)
            ) STRICT;
            -- Full-text index of the own datasets; rowid = catalog_dataset.seq.
            CREATE VIRTUAL TABLE catalog_dataset_fts USING fts5 (title, description, keywords);

            -- The federated catalog crawled from the other members: one row per (member, dataset), replaced as a
            -- whole per member after each successful crawl of it; `entry` is the CatalogEntry as JSON.
            CREATE TABLE catalog_remote_dataset (
                rowid_key      INTEGER PRIMARY KEY,
                member_id      TEXT NOT NULL,
                participant_id TEXT NOT NULL,
                dataset_id     TEXT NOT NULL,
                title          TEXT NOT NULL,
                entry          TEXT NOT NULL,
                crawled_at_ms  INTEGER NOT NULL,
                UNIQUE (member_id, dataset_id)
            ) STRICT;
            -- rowid = catalog_remote_dataset.rowid_key.
            CREATE VIRTUAL TABLE catalog_remote_fts USING fts5 (title, description, keywords, provider);
            CREATE TABLE catalog_crawl_member (
                member_id          TEXT PRIMARY KEY NOT NULL,
                last_attempt_ms    INTEGER NOT NULL,
                last_success_ms    INTEGER,
                datasets           INTEGER NOT NULL DEFAULT 0,
                last_error         TEXT
            ) STRICT;
            """),
        Migration(version: 11, name: "catalog crawl staging", sql: """
            -- The pages of a crawl in progress, one member at a time: each page is stored here as it arrives (so a
            -- crawl holds one page in memory), and moved into catalog_remote_dataset in one transaction when the
            -- member's whole catalog was read within the crawl bounds; a failed crawl leaves the last good one.
            CREATE TABLE catalog_remote_staging (
                seq            INTEGER PRIMARY KEY,
                member_id      TEXT NOT NULL,
                participant_id TEXT NOT NULL,
                dataset_id     TEXT NOT NULL,
                title          TEXT NOT NULL,
                description    TEXT NOT NULL,
                keywords       TEXT NOT NULL,
                entry          TEXT NOT NULL,
                UNIQUE (member_id, dataset_id)
            ) STRICT;
            """),
    ]
}
