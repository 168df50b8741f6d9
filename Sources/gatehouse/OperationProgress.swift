import ArgumentParser
import Foundation

/// Prints what the admin API answered to an expose, unexpose or approval, and with `--wait`
/// follows the operation, printing each step as it starts and ends.
enum OperationProgress {
    /// Prints an accepted request (an operation or a pending change) or the refusal, and, with
    /// `wait`, follows the operation to its end. Exits 1 when the request was refused or the
    /// operation failed.
    static func report(_ answer: AdminAPIClient.Answer, client: AdminAPIClient, wait: Bool) async throws {
        guard answer.status == 202 || answer.status == 200, let object = answer.object else {
            printError(answer)
            throw ExitCode(1)
        }
        if object["status"] as? String == "pending_approval", let change = object["change"] as? [String: Any] {
            print("change \(change["id"] as? String ?? "?") waits for approval (gatehouse changes approve ID):")
            printPlan(change)
            return
        }
        guard let operation = object["operation"] as? [String: Any], let id = operation["id"] as? String else {
            print(String(decoding: answer.body, as: UTF8.self))
            return
        }
        print("operation \(id): \(operation["action"] as? String ?? "") \(operation["host"] as? String ?? "") accepted")
        guard wait else {
            print("follow it with GET /api/v1/operations/\(id)")
            return
        }
        var shown: [String: String] = [:]
        while true {
            let current = try await client.send(.GET, "/api/v1/operations/\(id)")
            guard current.status == 200, let state = current.object else {
                printError(current)
                throw ExitCode(1)
            }
            for step in state["steps"] as? [[String: Any]] ?? [] {
                let name = step["name"] as? String ?? "?"
                let status = step["status"] as? String ?? "?"
                guard shown[name] != status, status != "pending" else { continue }
                shown[name] = status
                print(line(step))
            }
            let status = state["status"] as? String ?? ""
            if status == "succeeded" {
                print("operation \(id) succeeded")
                return
            }
            if status == "failed" {
                print("operation \(id) failed: \(state["error"] as? String ?? "no reason given")")
                throw ExitCode(1)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// `  certificate  succeeded  certificate … reused (12 ms)`.
    static func line(_ step: [String: Any]) -> String {
        let name = (step["name"] as? String ?? "?").padding(toLength: 12, withPad: " ", startingAt: 0)
        let status = (step["status"] as? String ?? "?").padding(toLength: 10, withPad: " ", startingAt: 0)
        var text = "  \(name) \(status)"
        if let detail = step["detail"] as? String { text += " \(detail)" }
        if let error = step["error"] as? String { text += " error: \(error)" }
        if let duration = step["durationMilliseconds"] as? Int, step["status"] as? String != "running" { text += " (\(duration) ms)" }
        return text
    }

    /// The plan of a change, one line per item.
    static func printPlan(_ change: [String: Any]) {
        for item in change["plan"] as? [[String: Any]] ?? [] {
            let action = (item["action"] as? String ?? "").padding(toLength: 8, withPad: " ", startingAt: 0)
            var text = "  \(action) \(item["kind"] as? String ?? "") \(item["name"] as? String ?? "")"
            if let detail = item["detail"] as? String { text += ": \(detail)" }
            print(text)
        }
    }

    /// An error answer: its message, each field at fault, each clash.
    static func printError(_ answer: AdminAPIClient.Answer) {
        let errors = answer.object?["errors"] as? [[String: Any]] ?? []
        var text = errors.isEmpty ? "gatehouse: \(answer.status): \(answer.message)\n" : "gatehouse: \(answer.status): the request is invalid:\n"
        for error in errors {
            text += "  \(error["field"] as? String ?? "?"): \(error["message"] as? String ?? "")\n"
        }
        for clash in answer.object?["clashes"] as? [String] ?? [] {
            text += "  clash: \(clash)\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
