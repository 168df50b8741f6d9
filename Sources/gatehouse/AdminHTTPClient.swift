import Foundation
#if canImport(Glibc)
import Glibc
private let systemConnect = Glibc.connect
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemConnect = Darwin.connect
private let systemWrite = Darwin.write
#endif

/// A small blocking HTTP/1.1 client for the admin API, as the CLI uses it: one request per
/// connection (`Connection: close`), over TCP or the admin API's unix socket.
///
/// The address and token come from flags or the environment: `GATEHOUSE_ADMIN_ADDRESS`
/// (`host:port`, `[v6]:port` or `unix:/path`; default `127.0.0.1:8081`, the admin API's
/// default) and `GATEHOUSE_ADMIN_TOKEN`.
struct AdminHTTPClient: Sendable {
    /// The environment variable holding the admin API's address.
    static let addressVariable = "GATEHOUSE_ADMIN_ADDRESS"
    /// The environment variable holding the bearer token.
    static let tokenVariable = "GATEHOUSE_ADMIN_TOKEN"

    /// Where the admin API listens.
    enum Address: Sendable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unix(path: String)

        var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path): "unix:\(path)"
            }
        }
    }

    /// A request that could not be made, or an answer that could not be read.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// An answer: status, and the body parsed as JSON when it is JSON.
    struct Answer {
        let status: Int
        let body: Data

        /// The body as a JSON object, if it is one.
        var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        /// The body as a JSON array, if it is one.
        var array: [Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [Any] }
        /// The `message` of an error body, else the body as text.
        var message: String { object?["message"] as? String ?? String(decoding: body, as: UTF8.self) }
    }

    let address: Address
    let token: String

    /// A client for `address` (else the environment, else the default) with `token` (else the
    /// environment).
    ///
    /// - Throws: ``Failure`` when the address cannot be read or no token is given.
    init(address: String?, token: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let text = address ?? environment[Self.addressVariable] ?? "127.0.0.1:8081"
        if text.hasPrefix("unix:") {
            self.address = .unix(path: String(text.dropFirst(5)))
        } else if let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) {
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            self.address = .tcp(host: host.isEmpty ? "127.0.0.1" : host, port: port)
        } else {
            throw Failure(description: "admin address \"\(text)\" is not host:port or unix:/path")
        }
        guard let token = token ?? environment[Self.tokenVariable], !token.isEmpty else {
            throw Failure(description: "no admin API token: give --token or set \(Self.tokenVariable) (tokens come from `gatehouse token create`)")
        }
        self.token = token
    }

    /// Sends `method path` with `body` (JSON) and returns the answer.
    func send(_ method: String, _ path: String, json body: Any? = nil) throws -> Answer {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n"
        head += "Accept: application/json\r\nContent-Length: \(payload.count)\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        head += "\r\n"
        let socket = try connect()
        defer { close(socket) }
        try write(socket, Data(head.utf8) + payload)
        return try Self.parse(try readAll(socket))
    }

    private var hostHeader: String {
        switch address {
        case .tcp: address.description
        case .unix: "localhost"
        }
    }

    private func connect() throws -> Int32 {
        switch address {
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw Failure(description: "socket path too long: \(path)") }
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let result = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw Failure(description: "cannot reach the admin API at \(address): \(reason)")
            }
            return fd
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
                throw Failure(description: "cannot resolve the admin API host \(host)")
            }
            defer { freeaddrinfo(list) }
            var reason = "no address"
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                let fd = socket(current.pointee.ai_family, current.pointee.ai_socktype, current.pointee.ai_protocol)
                if fd >= 0 {
                    if systemConnect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return fd }
                    reason = String(cString: strerror(errno))
                    close(fd)
                }
                entry = current.pointee.ai_next
            }
            throw Failure(description: "cannot reach the admin API at \(address): \(reason) (is `gatehouse serve` running with admin.address there? set \(Self.addressVariable) or --admin-address)")
        }
    }

    private func write(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "writing to the admin API: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }

    private func readAll(_ fd: Int32) throws -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "reading from the admin API: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return result }
            result.append(contentsOf: buffer[0..<count])
        }
    }

    /// Status line, headers and body (Content-Length, chunked, or up to the close).
    static func parse(_ data: Data) throws -> Answer {
        let bytes = [UInt8](data)
        guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else { throw Failure(description: "the admin API sent no HTTP response") }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "the admin API sent a malformed status line") }
        var chunked = false
        for line in lines.dropFirst() {
            let lowered = line.lowercased()
            if lowered.hasPrefix("transfer-encoding:") && lowered.contains("chunked") { chunked = true }
        }
        var body = Array(bytes[end.upperBound...])
        if chunked {
            var decoded: [UInt8] = []
            var index = 0
            while let lineEnd = body[index...].firstRange(of: [13, 10]) {
                let sizeText = String(decoding: body[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
                let start = lineEnd.upperBound
                guard start + size <= body.count else { break }
                decoded += body[start..<start + size]
                index = start + size + 2
                if index >= body.count { break }
            }
            body = decoded
        }
        return Answer(status: status, body: Data(body))
    }
}
