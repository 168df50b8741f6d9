import ArgumentParser
import Foundation
import NIOHTTP1

/// `gatehouse changes list|approve ID|reject ID`: the changes waiting for approval
/// (`admin.requireApproval`).
struct Changes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, approve and reject changes waiting for approval.",
        subcommands: [List.self, Approve.self, Reject.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List changes with their plans (pending ones by default).")

        @Option(name: .long, help: "pending (default), approved, rejected or all.")
        var status = "pending"

        @OptionGroup var connection: AdminAPIOptions

        func run() async throws {
            let client = connection.client()
            let answer = try await Changes.send(client, .GET, status == "all" ? "/api/v1/changes" : "/api/v1/changes?status=\(status)")
            guard answer.status == 200, let changes = answer.array as? [[String: Any]] else {
                OperationProgress.printError(answer)
                throw ExitCode(1)
            }
            if changes.isEmpty { print("no \(status == "all" ? "" : status + " ")changes") }
            for change in changes {
                var line = "\(change["id"] as? String ?? "?")  \(change["status"] as? String ?? "")  \(change["action"] as? String ?? "") "
                line += "\(change["host"] as? String ?? "")  requested by \(change["requestedBy"] as? String ?? "?")"
                if let decided = change["decidedBy"] as? String { line += ", decided by \(decided)" }
                print(line)
                OperationProgress.printPlan(change)
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a change and start its operation.")

        @Argument(help: "The change id.")
        var id: String

        @Flag(name: .long, help: "Follow the operation to its end.")
        var wait = false

        @OptionGroup var connection: AdminAPIOptions

        func run() async throws {
            let client = connection.client()
            try await OperationProgress.report(try await Changes.send(client, .POST, "/api/v1/changes/\(id)/approve"), client: client, wait: wait)
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a change; nothing is applied.")

        @Argument(help: "The change id.")
        var id: String

        @OptionGroup var connection: AdminAPIOptions

        func run() async throws {
            let client = connection.client()
            let answer = try await Changes.send(client, .POST, "/api/v1/changes/\(id)/reject")
            guard answer.status == 200 else {
                OperationProgress.printError(answer)
                throw ExitCode(1)
            }
            print("change \(id) rejected")
        }
    }

    /// Sends a request; a connection failure exits 1 with its reason.
    static func send(_ client: AdminAPIClient, _ method: HTTPMethod, _ path: String) async throws -> AdminAPIClient.Answer {
        do {
            return try await client.send(method, path)
        } catch {
            FileHandle.standardError.write(Data("gatehouse: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
