import Config
import Logging

/// Reads the dynamic configuration the static configuration points to (`providers.file`).
///
/// A file that fails to parse is reported and left out; the others still load, so one broken file
/// never takes the rest down.
public struct DynamicConfigurationSource: Sendable {
    let staticConfig: StaticConfiguration
    let logger: Logger

    public init(staticConfig: StaticConfiguration, logger: Logger) {
        self.staticConfig = staticConfig
        self.logger = logger
    }

    public func load() -> DynamicConfiguration {
        guard let file = staticConfig.providers?.file else { return DynamicConfiguration() }
        if let directory = file.directory {
            let result: DynamicLoadResult
            do {
                result = try ConfigLoader.loadDynamic(directory: directory)
            } catch {
                logger.error("dynamic configuration directory not loaded", metadata: ["error": "\(error)"])
                return DynamicConfiguration()
            }
            for error in result.errors {
                logger.error("dynamic configuration file not loaded", metadata: ["error": "\(error)"])
            }
            for issue in result.issues {
                logger.error("dynamic configuration issue", metadata: ["issue": "\(issue)"])
            }
            return result.configuration
        }
        if let filename = file.filename {
            do {
                return try ConfigLoader.loadDynamic(file: filename)
            } catch {
                logger.error("dynamic configuration file not loaded", metadata: ["error": "\(error)"])
            }
        }
        return DynamicConfiguration()
    }
}
