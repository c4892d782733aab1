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
        Migration(version: 12, name: "catalog snapshots, versions and refresh", sql: """
            -- Files that change (docs/operator.md): a dataset is served from a snapshot the connector owns
            -- (<dataDirectory>/snapshots/<sha256>); `source_path` is the file it was published from and is refreshed
            -- from; `file_path` is now the snapshot of the current version; `version` is its sha-256. Rows published
            -- before this migration get their snapshot at the next start (`DatasetSnapshots.adopt`); until then
            -- they have no version row and are not served.
            ALTER TABLE catalog_dataset ADD COLUMN source_path TEXT;
            UPDATE catalog_dataset SET source_path = file_path;
            ALTER TABLE catalog_dataset ADD COLUMN version TEXT;
            -- Refresh schedule (seconds, NULL = refreshed by hand only) and the last refresh's outcome.
            ALTER TABLE catalog_dataset ADD COLUMN refresh_every_s INTEGER;
            ALTER TABLE catalog_dataset ADD COLUMN refresh_attempt_ms INTEGER;
            ALTER TABLE catalog_dataset ADD COLUMN refresh_error TEXT;
            -- Every version a dataset had that still has a snapshot: a transfer pinned to a version
            -- (transfer_process.expected_sha256) is served from it even after a refresh.
            CREATE TABLE catalog_dataset_version (
                dataset_id    TEXT NOT NULL,
                sha256        TEXT NOT NULL,
                size          INTEGER NOT NULL,
                path          TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (dataset_id, sha256)
            ) STRICT;
            """),
        // API datasets (docs/operator.md, "Datasets backed by an API"): the `DatasetUpstream` declaration as JSON (base,
        // allow-list, bounds, credential and CA file PATHS — never a credential); NULL for a file dataset, whose
        // file_path then holds the snapshot. An API dataset's file_path is ''.
        Migration(version: 15, name: "catalog upstream of API datasets", sql: "ALTER TABLE catalog_dataset ADD COLUMN upstream TEXT;"),
        // Open data (docs/operator.md, "Open data"): 1 serves the current snapshot without a contract on the public
        // listener (`GET /open/<id>`); `open_downloads` counts those downloads (a number only: no address, no time).
        Migration(version: 16, name: "catalog open data", sql: """
            ALTER TABLE catalog_dataset ADD COLUMN open_data INTEGER NOT NULL DEFAULT 0 CHECK (open_data IN (0, 1));
            ALTER TABLE catalog_dataset ADD COLUMN open_downloads INTEGER NOT NULL DEFAULT 0 CHECK (open_downloads >= 0);
            """),
        // The operator's choice per dataset (docs/operator.md, "The public transparency page"): 1 lists it on the public
        // listener (transparency page, DCAT-AP.de harvest endpoint); datasets published before stay unlisted.
        Migration(version: 18, name: "catalog public listing", sql: """
            ALTER TABLE catalog_dataset ADD COLUMN transparency INTEGER NOT NULL DEFAULT 0 CHECK (transparency IN (0, 1));
            CREATE INDEX catalog_dataset_transparency ON catalog_dataset (transparency, seq);
            """),
    ]
}
