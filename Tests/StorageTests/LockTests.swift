import Foundation
import Synchronization
import Testing
@testable import Storage

/// Locks between two storage instances on one database file, as two processes or nodes.
@Suite struct LockTests {
    @Test func exactlyOneWinnerUnderContention() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { nodeA async throws in
                try await withStorage(in: directory, clock: clock) { nodeB async throws in
                    for round in 0..<5 {
                        let name = "order:example.com:\(round)"
                        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                            for index in 0..<16 {
                                let storage = index.isMultiple(of: 2) ? nodeA : nodeB
                                let owner = "owner-\(index)"
                                group.addTask {
                                    try await storage.tryLock(name: name, owner: owner, ttl: .seconds(30)) ? owner : nil
                                }
                            }
                            var winners: [String] = []
                            for try await winner in group {
                                if let winner { winners.append(winner) }
                            }
                            return winners
                        }
                        #expect(winners.count == 1, "round \(round): winners \(winners)")
                    }
                }
            }
        }
    }

    @Test func expiryLetsAnotherOwnerIn() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { nodeA async throws in
                try await withStorage(in: directory, clock: clock) { nodeB async throws in
                    #expect(try await nodeA.tryLock(name: "renew", owner: "a", ttl: .seconds(30)))
                    #expect(try await !nodeB.tryLock(name: "renew", owner: "b", ttl: .seconds(30)))
                    // The holder may take it again (extends it).
                    #expect(try await nodeA.tryLock(name: "renew", owner: "a", ttl: .seconds(30)))

                    clock.advance(by: 29)
                    #expect(try await !nodeB.tryLock(name: "renew", owner: "b", ttl: .seconds(30)))
                    // Refresh keeps it alive past the first expiry.
                    #expect(try await nodeA.refreshLock(name: "renew", owner: "a", ttl: .seconds(30)))
                    clock.advance(by: 29)
                    #expect(try await !nodeB.tryLock(name: "renew", owner: "b", ttl: .seconds(30)))
                    #expect(try await !nodeB.refreshLock(name: "renew", owner: "b", ttl: .seconds(30)))

                    // The holder "dies": after the TTL another owner takes it.
                    clock.advance(by: 2)
                    #expect(try await nodeB.tryLock(name: "renew", owner: "b", ttl: .seconds(30)))
                    // The old holder cannot refresh nor retake it.
                    #expect(try await !nodeA.refreshLock(name: "renew", owner: "a", ttl: .seconds(30)))
                    #expect(try await !nodeA.tryLock(name: "renew", owner: "a", ttl: .seconds(30)))

                    // A lock that expired is not refreshed even by its owner.
                    clock.advance(by: 31)
                    #expect(try await !nodeB.refreshLock(name: "renew", owner: "b", ttl: .seconds(30)))
                }
            }
        }
    }

    @Test func unlockByTheWrongOwnerIsRefused() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { nodeA async throws in
                try await withStorage(in: directory, clock: clock) { nodeB async throws in
                    #expect(try await nodeA.tryLock(name: "account:le", owner: "a", ttl: .seconds(60)))
                    let error = await #expect(throws: StorageError.self) { try await nodeB.unlock(name: "account:le", owner: "b") }
                    #expect(error?.code == .lockNotHeld)
                    #expect(error?.description.contains("account:le") == true)
                    // Still held by a.
                    #expect(try await !nodeB.tryLock(name: "account:le", owner: "b", ttl: .seconds(60)))

                    try await nodeA.unlock(name: "account:le", owner: "a")
                    #expect(try await nodeB.tryLock(name: "account:le", owner: "b", ttl: .seconds(60)))
                    let again = await #expect(throws: StorageError.self) { try await nodeA.unlock(name: "account:le", owner: "a") }
                    #expect(again?.code == .lockNotHeld)
                }
            }
        }
    }

    /// Real time and real processes' worth of contention: two instances, no test clock, a short
    /// TTL, each side repeatedly taking the lock, doing "work", and releasing it. The work is
    /// never done by both at once.
    @Test func mutualExclusionWithRealTime() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { nodeA async throws in
                try await withStorage(in: directory) { nodeB async throws in
                    let inside = Tally()
                    let overlaps = Tally()
                    let completed = Tally()
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (index, storage) in [nodeA, nodeB, nodeA, nodeB].enumerated() {
                            group.addTask {
                                var done = 0
                                var attempts = 0
                                while done < 5, attempts < 2000 {
                                    attempts += 1
                                    if try await storage.tryLock(name: "work", owner: "worker-\(index)", ttl: .seconds(10)) {
                                        let concurrent = inside.add(1)
                                        if concurrent > 1 { overlaps.add(1) }
                                        try await Task.sleep(for: .milliseconds(2))
                                        inside.add(-1)
                                        try await storage.unlock(name: "work", owner: "worker-\(index)")
                                        done += 1
                                        completed.add(1)
                                    } else {
                                        try await Task.sleep(for: .milliseconds(1))
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    #expect(overlaps.value == 0)
                    #expect(completed.value == 20)
                }
            }
        }
    }
}

/// A counter shared by tasks.
final class Tally: Sendable {
    private let count = Mutex(0)

    /// Adds `delta` and returns the new value.
    @discardableResult
    func add(_ delta: Int) -> Int {
        count.withLock { value in
            value += delta
            return value
        }
    }

    var value: Int { count.withLock { $0 } }
}
