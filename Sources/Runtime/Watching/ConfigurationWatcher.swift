import Config
import Foundation
import Logging

/// Watches the file provider's files (`providers.file.filename` or every `*.yml`, `*.yaml`,
/// `*.toml` under `providers.file.directory`) and hands over the merged dynamic configuration
/// whenever it changes.
///
/// Each poll fingerprints the files (size, modification time, content hash). A change waits for
/// the files to settle (``Options/quietPeriod``), then only new and changed files are decoded;
/// a file that fails keeps its last good version and its error (file, line, key path) is
/// logged. A merged result equal to the one last handed over is skipped. The static
/// configuration file is watched too: it cannot be applied while running, so a change to it is
/// logged as a warning asking for a restart.
public struct ConfigurationWatcher: Sendable {
    /// How often and how patiently the watcher looks.
    public struct Options: Sendable {
        /// Time between two polls. Default 200 ms.
        public var pollInterval: Duration = .milliseconds(200)
        /// How long the files must stay unchanged before a change is applied. Default 300 ms.
        public var quietPeriod: Duration = .milliseconds(300)
        /// The longest a change waits while files keep changing. Default 600 ms.
        public var maximumDelay: Duration = .milliseconds(600)

        /// The defaults: a change is applied within about 0.5 s, under a steady stream of
        /// writes within about 0.8 s.
        public init() {}
    }

    /// Where the dynamic configuration comes from.
    enum Source: Sendable, Equatable {
        case file(String)
        case directory(String)
        case none
    }

    let source: Source
    let staticFile: String?
    let options: Options
    let logger: Logger

    private var files = DynamicFileSet()
    private var debouncer: Debouncer
    private var seen: [String: FileFingerprint] = [:]
    private var lastReads: [String: FileRead] = [:]
    private var staticFingerprint: FileFingerprint?
    private var applied: DynamicConfiguration?
    private var listingFailed = false

    /// Watches what `provider` names; `staticFile` is the static configuration file, if any.
    public init(provider: Providers.FileProvider?, staticFile: String?, options: Options = Options(), logger: Logger) {
        if let directory = provider?.directory {
            source = .directory(directory)
        } else if let filename = provider?.filename {
            source = .file(filename)
        } else {
            source = .none
        }
        self.staticFile = staticFile
        self.options = options
        self.logger = logger
        self.debouncer = Debouncer(quietPeriod: options.quietPeriod, maximumDelay: options.maximumDelay)
    }

    /// Reads every file now and returns the merged configuration, logging each error. Call once
    /// before ``run(onChange:)`` or ``poll(now:)``.
    public mutating func load() -> DynamicLoadResult {
        let reads = scan()
        seen = fingerprints(reads)
        staticFingerprint = staticFile.map { FileRead.read($0).fingerprint }
        let update = files.apply(reads)
        let result = files.result
        report(update, result)
        applied = result.configuration
        return result
    }

    /// One poll at `now`: returns the new merged configuration when the files changed, settled,
    /// and merge to something different from the configuration last returned; `nil` otherwise.
    public mutating func poll(now: ContinuousClock.Instant) -> DynamicLoadResult? {
        checkStaticFile()
        let reads = scan()
        let current = fingerprints(reads)
        if current != seen {
            seen = current
            debouncer.changed(at: now)
        }
        guard debouncer.fire(at: now) else { return nil }
        let update = files.apply(reads)
        guard !update.isEmpty else { return nil }
        let result = files.result
        report(update, result)
        if result.configuration == applied {
            logger.info("configuration unchanged; reload skipped", metadata: ["files": "\(update.reloaded + update.removed)"])
            return nil
        }
        applied = result.configuration
        return result
    }

    /// Polls every ``Options/pollInterval`` until the task is cancelled, and calls `onChange`
    /// with each new configuration (on this task, so reloads never overlap).
    public func run(onChange: @Sendable (DynamicLoadResult) async -> Void) async {
        guard source != .none || staticFile != nil else { return }
        var watcher = self
        let clock = ContinuousClock()
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: options.pollInterval)
            } catch {
                return
            }
            if let result = watcher.poll(now: clock.now) {
                await onChange(result)
            }
        }
    }

    // MARK: Internals

    /// Reads every file of the source as it is now (files unchanged for a while are not read
    /// again, see ``FileRead/read(_:reusing:)``).
    private mutating func scan() -> [FileRead] {
        let reads = listAndRead()
        lastReads = Dictionary(reads.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        return reads
    }

    private mutating func listAndRead() -> [FileRead] {
        let read = { [lastReads] (path: String) in FileRead.read(path, reusing: lastReads[path]) }
        switch source {
        case .none:
            return []
        case .file(let path):
            return [read(path)]
        case .directory(let directory):
            do {
                let paths = try ConfigLoader.configurationFiles(in: directory)
                if listingFailed {
                    listingFailed = false
                    logger.info("dynamic configuration directory readable again", metadata: ["directory": "\(directory)"])
                }
                return paths.map(read)
            } catch {
                if !listingFailed {
                    listingFailed = true
                    logger.error("dynamic configuration directory not readable; the configuration in use stays",
                                 metadata: ["directory": "\(directory)", "error": "\(error)"])
                }
                // Keep what is known: an unlistable directory is not an empty one.
                return seen.keys.sorted().map(read)
            }
        }
    }

    private func fingerprints(_ reads: [FileRead]) -> [String: FileFingerprint] {
        Dictionary(uniqueKeysWithValues: reads.map { ($0.path, $0.fingerprint) })
    }

    /// Warns once per change of the static configuration file.
    private mutating func checkStaticFile() {
        guard let staticFile else { return }
        let current = FileRead.read(staticFile).fingerprint
        guard let known = staticFingerprint, current != known else { return }
        staticFingerprint = current
        logger.warning("static configuration changed; restart gatehouse to apply it (entry points, providers, resolvers and logging are read at start only)",
                       metadata: ["file": "\(staticFile)"])
    }

    /// Logs the errors found now and the names defined in several files.
    private func report(_ update: DynamicFileSet.Update, _ result: DynamicLoadResult) {
        for error in update.errors {
            var metadata: Logger.Metadata = ["error": "\(error)"]
            if let file = error.file { metadata["file"] = "\(file)" }
            if let line = error.line { metadata["line"] = "\(line)" }
            if !error.keyPath.isEmpty { metadata["key"] = "\(error.keyPath)" }
            let message: Logger.Message = files.isStale(error.file ?? "")
                ? "dynamic configuration file not loaded; its last good version stays in use"
                : "dynamic configuration file not loaded"
            logger.error(message, metadata: metadata)
        }
        for issue in result.issues {
            logger.error("dynamic configuration item disabled", metadata: ["issue": "\(issue)"])
        }
    }
}
