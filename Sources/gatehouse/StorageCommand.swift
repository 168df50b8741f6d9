import ArgumentParser
import Foundation
import Storage

/// How the commands that work on the data directory's database run: open it, run the command,
/// close it whatever happened; an error exits 1 with `gatehouse <command>: <error>` on
/// standard error.
enum StorageCommand {
    static func run(
        _ command: String, open: () async throws -> SQLiteCertificateStorage, _ body: (SQLiteCertificateStorage) async throws -> Void
    ) async throws {
        do {
            let storage = try await open()
            do {
                try await body(storage)
                try? await storage.close()
            } catch {
                try? await storage.close()
                throw error
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("gatehouse \(command): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
