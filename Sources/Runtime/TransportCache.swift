import Config
import Foundation
import Logging
import Proxy
import Synchronization

/// The upstream transports of the previous snapshot build, reused by the next one when neither a
/// transport's configuration nor the files it reads have changed.
///
/// Making a transport means making a TLS client context, which loads the system trust store:
/// the most expensive part of a small build. A reload that changes only routers then makes none.
/// Files named by `rootCAs` and `certificates` are compared by content, so replacing a CA file
/// in place still takes effect on the next reload.
final class TransportCache: Sendable {
    private struct Entry: Sendable {
        let configuration: ServersTransport
        let material: [Data]
        let transport: UpstreamTransport
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The cached transport for `name` if it was made from the same configuration and file contents.
    func transport(named name: String, configuration: ServersTransport, material: [Data]) -> UpstreamTransport? {
        entries.withLock { entries in
            guard let entry = entries[name], entry.configuration == configuration, entry.material == material else { return nil }
            return entry.transport
        }
    }

    /// Keeps exactly `transports` (those of the latest build) for the next build.
    func replace(with transports: [String: (configuration: ServersTransport, material: [Data], transport: UpstreamTransport)]) {
        entries.withLock { entries in
            entries = transports.mapValues { Entry(configuration: $0.configuration, material: $0.material, transport: $0.transport) }
        }
    }
}

/// The files a transport reads (`rootCAs`, the first `certificates` pair), read once per build.
struct TransportMaterial {
    /// Each readable `rootCAs` entry with its bytes; unreadable ones are logged and skipped.
    let rootCAs: [(source: FileOrContent, bytes: Data)]
    /// The client certificate chain and key presented to backends.
    let clientCertificate: (chain: Data, key: Data)?

    /// Everything read, in order: what decides whether a cached transport is still current.
    var contents: [Data] {
        rootCAs.map(\.bytes) + (clientCertificate.map { [$0.chain, $0.key] } ?? [])
    }

    /// - Throws: ``ConfigError`` when the client certificate or its key cannot be read.
    init(name: String, _ transport: ServersTransport, logger: Logger) throws {
        var roots: [(FileOrContent, Data)] = []
        for root in transport.rootCAs ?? [] {
            do {
                roots.append((root, try root.read()))
            } catch {
                logger.error("serversTransport rootCAs entry skipped", metadata: ["serversTransport": "\(name)", "error": "\(error)"])
            }
        }
        rootCAs = roots
        if let pair = transport.certificates?.first, let cert = pair.certFile, let key = pair.keyFile {
            clientCertificate = (try cert.read(), try key.read())
        } else {
            clientCertificate = nil
        }
    }
}
