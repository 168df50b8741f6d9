import Admin
import ArgumentParser
import Foundation
import Logging
import Storage

/// `gatehouse token …`: the admin API's bearer tokens. Works while the server runs (the
/// database is shared in WAL mode).
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke admin API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// Where the state is.
    struct Location: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
        var dataDir: String?
    }

    /// Runs `body` on the token store, closing it afterwards; errors exit 1 with their message.
    static func withStore(_ location: Location, _ body: (SQLiteCertificateStorage) async throws -> Void) async throws {
        var logger = Logger(label: "gatehouse.token")
        logger.logLevel = .warning
        try await StorageCommand.run("token", open: {
            try await SQLiteCertificateStorage.open(dataDirectory: location.dataDir ?? Serve.defaultDataDirectory(), logger: logger)
        }, body)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it, alone, on standard output. It is shown this once; only its hash is kept."
        )

        @Option(name: .long, help: "A unique name for the token (letters, digits, '.', '_', '-').")
        var name: String

        @Option(name: .long, help: "Comma-separated scopes: ingress.read, ingress.manage, acme.manage, admin.")
        var scope: String

        @OptionGroup var location: Location

        func validate() throws {
            do {
                _ = try Scope.parseList(scope)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() async throws {
            let scopes = try Scope.parseList(scope).map(\.rawValue)
            try await Token.withStore(location) { store in
                let issued = try await store.createToken(name: name, scopes: scopes)
                print(issued.secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name, scopes, creation and last use of every token (never the tokens).")

        @OptionGroup var location: Location

        func run() async throws {
            try await Token.withStore(location) { store in
                let tokens = try await store.tokens()
                let format = ISO8601DateFormatter()
                let rows = tokens.map { token in
                    [token.name, token.scopes.joined(separator: ","), format.string(from: token.createdAt),
                     token.lastUsedAt.map { format.string(from: $0) } ?? "never"]
                }
                let header = ["NAME", "SCOPES", "CREATED", "LAST USED"]
                let widths = (0..<header.count).map { column in
                    ([header] + rows).map { $0[column].count }.max() ?? 0
                }
                for row in [header] + rows {
                    let cells = row.enumerated().map { index, cell in
                        index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    }
                    print(cells.joined(separator: "  "))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a token: it stops working at once.")

        @Argument(help: "The token's name.")
        var name: String

        @OptionGroup var location: Location

        func run() async throws {
            try await Token.withStore(location) { store in
                try await store.revokeToken(name: name)
                print("revoked token \"\(name)\"")
            }
        }
    }
}
