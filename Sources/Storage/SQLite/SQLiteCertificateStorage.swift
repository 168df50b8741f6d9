import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import Synchronization

/// The embedded ``CertificateStorage``: one SQLite database file, `<dataDir>/gatehouse.db`.
///
/// - The data directory is created with mode 0700 if missing; the database file is created with
///   mode 0600 before SQLite opens it (SQLite gives its `-wal` and `-shm` files the same mode),
///   and an existing file with group or other permission bits is narrowed to 0600.
/// - Private keys are sealed with a ``SecretBox`` (AES-256-GCM). At open, a check value sealed
///   with the key of the first start is decrypted, so starting with a different key fails at
///   once with ``StorageError/Code/wrongSecretKey`` naming the key's source.
/// - The schema is versioned (`schema_version`); missing migrations are applied at open.
/// - Several instances (processes or, in tests, objects) may open the same file. Each operation
///   runs alone on its instance's connection; operations that write several rows run in a
///   `BEGIN IMMEDIATE` transaction; between instances SQLite's file locks decide, waiting up to
///   the busy timeout. Locks (``tryLock(name:owner:ttl:)``) are a single atomic upsert.
/// - Times are stored as milliseconds since 1970; the `clock` given at open decides expiry.
///
/// Call ``close()`` when done.
public final class SQLiteCertificateStorage: CertificateStorage {
    /// The database file's name inside the data directory.
    public static let databaseFileName = "gatehouse.db"

    /// The data directory.
    public let dataDirectory: String
    /// The database file's path.
    public let databasePath: String
    /// The key that seals private keys.
    public let secrets: SecretBox

    let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let gate = AsyncGate()
    private let isClosed = Mutex(false)
    let clock: @Sendable () -> Date
    let logger: Logger

    private init(
        dataDirectory: String,
        databasePath: String,
        secrets: SecretBox,
        connection: SQLiteConnection,
        threadPool: NIOThreadPool,
        clock: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.dataDirectory = dataDirectory
        self.databasePath = databasePath
        self.secrets = secrets
        self.connection = connection
        self.threadPool = threadPool
        self.clock = clock
        self.logger = logger
    }

    /// Opens (creating if needed) the database in `dataDirectory`, with the secret key loaded by
    /// ``SecretBox/load(dataDirectory:environment:logger:)`` (environment variable
    /// `GATEHOUSE_SECRET_KEY`, else `<dataDirectory>/secret.key`).
    ///
    /// - Parameters:
    ///   - dataDirectory: Where `gatehouse.db` (and the key file) live; created 0700 if missing.
    ///   - environment: The process environment (for the secret key).
    ///   - busyTimeout: How long an operation waits for another process's write to finish.
    ///   - clock: The current time, for lock and challenge expiry and record timestamps.
    ///   - logger: For warnings about file modes and key creation.
    public static func open(
        dataDirectory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        busyTimeout: Duration = .seconds(10),
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "gatehouse.storage")
    ) async throws -> SQLiteCertificateStorage {
        let secrets = try SecretBox.load(dataDirectory: dataDirectory, environment: environment, logger: logger)
        return try await open(
            dataDirectory: dataDirectory, secrets: secrets, busyTimeout: busyTimeout, clock: clock, logger: logger
        )
    }

    /// Opens (creating if needed) the database in `dataDirectory`, sealing keys with `secrets`.
    ///
    /// - Throws: ``StorageError/Code/wrongSecretKey`` when the database was created with another
    ///   key; ``StorageError/Code/schemaTooNew``; ``StorageError/Code/fileSystem``;
    ///   ``StorageError/Code/database``.
    public static func open(
        dataDirectory: String,
        secrets: SecretBox,
        busyTimeout: Duration = .seconds(10),
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "gatehouse.storage")
    ) async throws -> SQLiteCertificateStorage {
        try PrivateFiles.ensureDirectory(dataDirectory)
        let path = (dataDirectory as NSString).appendingPathComponent(databaseFileName)
        for file in [path, path + "-wal", path + "-shm"] {
            let narrowed = file == path ? try PrivateFiles.ensurePrivateFile(file) : try PrivateFiles.narrowIfPresent(file)
            if narrowed {
                logger.warning("database file was readable by others; narrowed to mode 0600", metadata: ["path": "\(file)"])
            }
        }

        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path),
                threadPool: threadPool,
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await threadPool.shutdownGracefully()
            throw StorageError.database("open", path: path, error)
        }
        let storage = SQLiteCertificateStorage(
            dataDirectory: dataDirectory,
            databasePath: path,
            secrets: secrets,
            connection: connection,
            threadPool: threadPool,
            clock: clock,
            logger: logger
        )
        do {
            try await storage.prepare(busyTimeout: busyTimeout)
        } catch {
            try? await storage.close()
            throw error
        }
        return storage
    }

    /// Closes the database. Later calls fail with ``StorageError/Code/closed``; closing twice is
    /// harmless.
    public func close() async throws {
        let wasOpen = try await gate.withGate {
            let wasOpen = isClosed.withLock { closed in
                defer { closed = true }
                return !closed
            }
            if wasOpen {
                try await connection.close()
            }
            return wasOpen
        }
        if wasOpen {
            try await threadPool.shutdownGracefully()
        }
    }

    // MARK: Running statements

    /// Runs `body` alone on the connection; errors other than ``StorageError`` become
    /// ``StorageError/Code/database`` naming `operation`.
    @discardableResult
    func run<T: Sendable>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        try await gate.withGate {
            guard !isClosed.withLock({ $0 }) else {
                throw StorageError.closed(path: databasePath)
            }
            do {
                return try await body()
            } catch let error as StorageError {
                throw error
            } catch {
                throw StorageError.database(operation, path: databasePath, error)
            }
        }
    }

    /// Runs `body` alone on the connection inside `BEGIN IMMEDIATE` … `COMMIT`, rolling back when
    /// it throws.
    @discardableResult
    func transaction<T: Sendable>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        try await run(operation) {
            _ = try await query("BEGIN IMMEDIATE")
            do {
                let result = try await body()
                _ = try await query("COMMIT")
                return result
            } catch {
                _ = try? await query("ROLLBACK")
                throw error
            }
        }
    }

    /// One statement. Call only inside ``run(_:_:)`` or ``transaction(_:_:)``.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await connection.query(sql, binds)
    }

    // MARK: Opening

    private static let keyCheckContext = "key-check"

    private func prepare(busyTimeout: Duration) async throws {
        let milliseconds = max(0, Int(busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000))
        try await run("configure") {
            try await query("PRAGMA busy_timeout = \(milliseconds)")
            try await query("PRAGMA journal_mode = WAL")
            try await query("PRAGMA synchronous = NORMAL")
            try await query("PRAGMA foreign_keys = ON")
        }
        try await transaction("migrate the schema") {
            try await query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            let rows = try await query("SELECT version FROM schema_version")
            var version = rows.first?.integer("version") ?? 0
            if rows.isEmpty {
                try await query("INSERT INTO schema_version (version) VALUES (0)")
            }
            guard version <= SQLiteSchema.currentVersion else {
                throw StorageError.schemaTooNew(path: databasePath, found: version, supported: SQLiteSchema.currentVersion)
            }
            while version < SQLiteSchema.currentVersion {
                for statement in SQLiteSchema.migrations[version] {
                    try await query(statement)
                }
                version += 1
                try await query("UPDATE schema_version SET version = ?1", [.integer(version)])
                logger.info("applied storage schema migration", metadata: ["version": "\(version)", "path": "\(databasePath)"])
            }
            try await checkSecretKey()
        }
    }

    /// Seals a check value on first start; on later starts, proves the key opens it.
    private func checkSecretKey() async throws {
        let rows = try await query("SELECT value FROM meta WHERE key = ?1", [.text(Self.keyCheckContext)])
        if let sealed = rows.first?.bytes("value") {
            do {
                _ = try secrets.open(sealed, context: Self.keyCheckContext)
            } catch let error as StorageError where error.code == .wrongSecretKey {
                throw StorageError.wrongSecretKey(secrets.source, decrypting: "the database \(databasePath)")
            }
        } else {
            let check = try secrets.seal(Array("gatehouse".utf8), context: Self.keyCheckContext)
            try await query(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                [.text(Self.keyCheckContext), SQLiteValues.blob(check)]
            )
        }
    }

    /// The schema version stored in the database.
    func schemaVersion() async throws -> Int {
        try await run("read the schema version") {
            try await query("SELECT version FROM schema_version").first?.integer("version") ?? 0
        }
    }

    /// The current time, from the clock given at open.
    var now: Date { clock() }
}
