/// The SQLite schema, as numbered migrations applied in order at open.
///
/// `schema_version` holds one row with the number of migrations applied. Migrations only ever
/// get appended; a released one is never edited.
enum SQLiteSchema {
    /// The statements of each migration; migration `n` (1-based) is `migrations[n - 1]`.
    static let migrations: [[String]] = [
        // 1: accounts, certificates, names, status history, audit log, challenges, locks, imports.
        [
            """
            CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value BLOB NOT NULL
            )
            """,
            """
            CREATE TABLE accounts (
                resolver TEXT NOT NULL,
                directory_url TEXT NOT NULL,
                email TEXT,
                account_url TEXT,
                private_key BLOB NOT NULL,
                key_type TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (resolver, directory_url)
            )
            """,
            """
            CREATE TABLE certificates (
                id TEXT PRIMARY KEY,
                resolver TEXT NOT NULL,
                names TEXT NOT NULL,
                names_key TEXT NOT NULL,
                status TEXT NOT NULL,
                status_reason TEXT,
                chain_pem TEXT,
                private_key BLOB,
                key_type TEXT,
                issuer TEXT,
                serial_number TEXT,
                not_before INTEGER,
                not_after INTEGER,
                ari_certificate_id TEXT,
                ari_window_start INTEGER,
                ari_window_end INTEGER,
                renewal_time INTEGER,
                next_check_time INTEGER,
                profile TEXT,
                order_url TEXT,
                order_private_key BLOB,
                order_key_type TEXT,
                failure_count INTEGER NOT NULL DEFAULT 0,
                next_retry_time INTEGER,
                last_error TEXT,
                unused_since INTEGER,
                source TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (resolver, names_key)
            )
            """,
            """
            CREATE TABLE certificate_names (
                certificate_id TEXT NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                PRIMARY KEY (certificate_id, name)
            )
            """,
            "CREATE INDEX certificate_names_by_name ON certificate_names(name)",
            """
            CREATE TABLE status_history (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                certificate_id TEXT NOT NULL,
                time INTEGER NOT NULL,
                from_status TEXT,
                to_status TEXT NOT NULL,
                reason TEXT
            )
            """,
            "CREATE INDEX status_history_by_certificate ON status_history(certificate_id, sequence)",
            """
            CREATE TABLE audit_log (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                time INTEGER NOT NULL,
                kind TEXT NOT NULL,
                resolver TEXT,
                names TEXT NOT NULL,
                certificate_id TEXT,
                detail TEXT NOT NULL,
                node_id TEXT
            )
            """,
            "CREATE INDEX audit_log_by_time ON audit_log(time)",
            "CREATE INDEX audit_log_by_certificate ON audit_log(certificate_id, sequence)",
            """
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
            """,
            """
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
            """,
            """
            CREATE TABLE http_challenges (
                token TEXT PRIMARY KEY,
                key_authorization TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE dns_challenges (
                record_name TEXT NOT NULL,
                value TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (record_name, value)
            )
            """,
            """
            CREATE TABLE tls_alpn_challenges (
                identifier TEXT PRIMARY KEY,
                certificate_pem TEXT NOT NULL,
                private_key BLOB NOT NULL,
                expires_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE locks (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE imports (
                path TEXT NOT NULL,
                resolver TEXT NOT NULL,
                imported_at INTEGER NOT NULL,
                PRIMARY KEY (path, resolver)
            )
            """,
        ],
        // 2: admin API tokens, stored as SHA-256 hashes of the secret.
        [
            """
            CREATE TABLE admin_tokens (
                name TEXT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                scopes TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                last_used_at INTEGER
            )
            """,
        ],
        // 3: routes made through the admin API (expose), their operations and the changes
        // waiting for approval; each row's data is the record as JSON.
        [
            """
            CREATE TABLE api_routes (
                host TEXT PRIMARY KEY,
                data TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE expose_operations (
                id TEXT PRIMARY KEY,
                data TEXT NOT NULL,
                created_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE expose_changes (
                id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                data TEXT NOT NULL,
                created_at INTEGER NOT NULL
            )
            """,
            "CREATE INDEX expose_changes_by_status ON expose_changes(status, created_at)",
        ],
        // 4: DNS provider credentials stored through the admin API; the variables' values are
        // sealed together (SecretBox, context `dns-credential:<id>`), their names kept in clear.
        [
            """
            CREATE TABLE dns_credentials (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                provider TEXT NOT NULL,
                variable_names TEXT NOT NULL,
                sealed_entries BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                last_test_at INTEGER,
                last_test_domain TEXT,
                last_test_succeeded INTEGER,
                last_test_failed_step TEXT,
                last_test_failure_kind TEXT
            )
            """,
        ],
        // 5: a certificate's own challenge type and stored DNS credential (an expose or admin API
        // request's choice); NULL means the resolver's configured challenges and DNS provider.
        [
            "ALTER TABLE certificates ADD COLUMN challenge TEXT",
            "ALTER TABLE certificates ADD COLUMN dns_credential TEXT",
        ],
        // 6: structured audit entries: who (the token's name), the item, the result, and the
        // item's state before and after as JSON objects. Rows written before keep these NULL (the
        // table refuses UPDATE); admin changes among them are read from their detail text.
        [
            "ALTER TABLE audit_log ADD COLUMN actor TEXT",
            "ALTER TABLE audit_log ADD COLUMN target TEXT",
            "ALTER TABLE audit_log ADD COLUMN result TEXT",
            "ALTER TABLE audit_log ADD COLUMN before_state TEXT",
            "ALTER TABLE audit_log ADD COLUMN after_state TEXT",
        ],
    ]

    /// The schema version this code writes: the number of migrations.
    static var currentVersion: Int { migrations.count }
}
