import Synchronization
import Testing
@testable import ACME

/// Collects issuance events.
final class EventLog: Sendable {
    private let events = Mutex<[ACMEIssuanceEvent]>([])

    func record(_ event: ACMEIssuanceEvent) {
        self.events.withLock { $0.append(event) }
    }

    var all: [ACMEIssuanceEvent] { self.events.withLock { $0 } }
}
