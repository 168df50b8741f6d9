#if canImport(Glibc)
import Glibc

private let streamSocket = Int32(SOCK_STREAM.rawValue)
private let datagramSocket = Int32(SOCK_DGRAM.rawValue)
private let systemBind = Glibc.bind
#elseif canImport(Darwin)
import Darwin

private let streamSocket = SOCK_STREAM
private let datagramSocket = SOCK_DGRAM
private let systemBind = Darwin.bind
#endif
import Foundation

/// Loopback ports chosen free at run time, and a readiness probe.
enum LoopbackPorts {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A port on 127.0.0.1 that is free for TCP (and for UDP too when `udp` is set) right
    /// now. The socket is closed before returning, so a process started next can bind it.
    static func free(udp: Bool = false) throws -> Int {
        for _ in 0..<50 {
            let port = try self.bind(type: streamSocket, port: 0)
            if !udp || (try? self.bind(type: datagramSocket, port: port)) != nil {
                return port
            }
        }
        throw Failure(description: "no free loopback port found")
    }

    /// Binds a socket of `type` to 127.0.0.1:`port`, closes it, and returns the bound port.
    private static func bind(type: Int32, port: Int) throws -> Int {
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                systemBind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Failure(description: "bind(\(port)) failed: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname failed: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func isListening(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    /// Waits until every port accepts connections, or throws after `timeout`.
    static func waitUntilListening(_ ports: [Int], timeout: Duration, what: String) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if ports.allSatisfy(isListening) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "\(what) did not listen on \(ports) within \(timeout)")
    }
}
