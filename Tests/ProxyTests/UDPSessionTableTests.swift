import NIOCore
import Testing
@testable import Proxy

/// The session table's rules, with time passed in: affinity, idle expiry, the size bound.
@Suite struct UDPSessionTableTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let a = try! SocketAddress(ipAddress: "127.0.0.1", port: 40001)
    let b = try! SocketAddress(ipAddress: "127.0.0.1", port: 40002)

    @Test("a client's datagrams find its session; another port of the same host is another client")
    func affinity() {
        var table = UDPSessionTable<String>(limit: 10, idleTimeout: .seconds(3))
        let addedA = table.insert("server-1", for: a, now: start)
        #expect(addedA)
        let foundA = table.session(for: a, now: start + .seconds(1))
        let foundB = table.session(for: b, now: start + .seconds(1))
        #expect(foundA == "server-1")
        #expect(foundB == nil)
        let addedB = table.insert("server-2", for: b, now: start)
        #expect(addedB)
        let laterA = table.session(for: a, now: start + .seconds(2))
        let laterB = table.session(for: b, now: start + .seconds(2))
        #expect(laterA == "server-1")
        #expect(laterB == "server-2")
        let second = table.insert("server-3", for: a, now: start)
        #expect(!second, "a second session for one client")
    }

    @Test("activity in either direction keeps a session; idleness past the timeout ends it")
    func idleExpiry() {
        var table = UDPSessionTable<String>(limit: 10, idleTimeout: .seconds(3))
        _ = table.insert("a", for: a, now: start)
        _ = table.insert("b", for: b, now: start)
        _ = table.session(for: a, now: start + .seconds(2))      // a datagram from a
        table.touch(b, now: start + .milliseconds(2500))         // a reply to b
        let none = table.removeExpired(now: start + .milliseconds(4900))
        #expect(none.isEmpty)
        let expiredA = table.removeExpired(now: start + .seconds(5))
        #expect(expiredA == ["a"])
        #expect(table.count == 1)
        let keptB = table.session(for: b, now: start + .milliseconds(5499))
        #expect(keptB == "b")
        let stillNone = table.removeExpired(now: start + .milliseconds(8498))
        #expect(stillNone.isEmpty)
        let expiredB = table.removeExpired(now: start + .milliseconds(8499))
        #expect(expiredB == ["b"])
        #expect(table.count == 0)
    }

    @Test("a session idle past the timeout is not revived by a late datagram before the sweep")
    func lateDatagramDoesNotRevive() {
        var table = UDPSessionTable<String>(limit: 10, idleTimeout: .seconds(3))
        _ = table.insert("a", for: a, now: start)
        let late = table.session(for: a, now: start + .seconds(3))
        #expect(late == nil)
        #expect(table.peek(a) == "a", "left for the sweep or the caller to close")
    }

    @Test("the table holds at most its limit; removal makes room")
    func bounded() {
        var table = UDPSessionTable<Int>(limit: 2, idleTimeout: .seconds(3))
        let c = try! SocketAddress(ipAddress: "127.0.0.2", port: 40001)
        let first = table.insert(1, for: a, now: start)
        let second = table.insert(2, for: b, now: start)
        #expect(first && second)
        #expect(table.isFull)
        let third = table.insert(3, for: c, now: start)
        #expect(!third)
        let removed = table.remove(a)
        #expect(removed == 1)
        let retried = table.insert(3, for: c, now: start)
        #expect(retried)
        let rest = table.removeAll()
        #expect(Set(rest) == [2, 3])
        #expect(table.count == 0)
    }
}
