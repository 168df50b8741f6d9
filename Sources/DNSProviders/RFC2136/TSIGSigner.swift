import DNS
import Foundation
import NIOCore

/// Signs requests and checks the signatures of responses with one TSIG key (RFC 8945 §5).
public struct TSIGSigner: Sendable, CustomStringConvertible {
    /// The key; its secret is never shown.
    public let key: TSIGKey
    /// The allowed difference between the signer's clock and ours, in seconds. Default 300, as
    /// RFC 8945 §10 recommends.
    public var fudge: UInt16

    /// - Parameters: see the properties.
    public init(key: TSIGKey, fudge: UInt16 = 300) {
        self.key = key
        self.fudge = fudge
    }

    /// A signed request: the octets to send and the MAC, which the response's MAC covers.
    public struct SignedRequest: Sendable {
        /// The message with its TSIG record appended.
        public var wire: ByteBuffer
        /// The request's MAC.
        public var mac: [UInt8]
    }

    /// Appends a TSIG record to `message`'s wire form (RFC 8945 §5.1).
    /// - Parameter time: seconds since 1970; default now.
    public func sign(_ message: DNSMessage, time: UInt64 = UInt64(Date().timeIntervalSince1970)) -> SignedRequest {
        var wire = message.serialized()
        let unsigned = wire.getBytes(at: wire.readerIndex, length: wire.readableBytes) ?? []
        var record = TSIGRecord(
            keyName: self.key.name, algorithmName: self.key.algorithm.algorithmName, timeSigned: time, fudge: self.fudge,
            mac: [], originalID: message.id
        )
        record.mac = self.key.algorithm.mac(unsigned + record.variables, key: self.key.secret)
        wire.writeBytes(record.wire)
        let additionalCount = wire.getInteger(at: wire.readerIndex + 10, as: UInt16.self) ?? 0
        wire.setInteger(additionalCount + 1, at: wire.readerIndex + 10)
        return SignedRequest(wire: wire, mac: record.mac)
    }

    /// What a response's TSIG record says.
    public enum ResponseStatus: Sendable, Hashable {
        /// The response is signed with our key and the MAC verifies.
        case verified
        /// The response carries no TSIG record.
        case unsigned
        /// The server reports a TSIG error (BADSIG, BADKEY, BADTIME): it did not accept our
        /// signature, and such responses are unsigned (RFC 8945 §5.3.2).
        case rejected(TSIGError)
    }

    /// Why a response's signature cannot be trusted.
    public struct VerificationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public let reason: String
        /// `the response's TSIG …`.
        public var description: String { "the response's TSIG \(self.reason)" }
    }

    /// Checks the TSIG record of `response` against the request's MAC (RFC 8945 §5.3.2, §5.4).
    /// - Parameter now: seconds since 1970; default now.
    /// - Throws: ``VerificationError`` when the record is malformed, names another key or
    ///   algorithm, its MAC does not verify, or its time is outside the fudge window.
    public func verify(
        _ response: DNSResponse, requestMAC: [UInt8], now: UInt64 = UInt64(Date().timeIntervalSince1970)
    ) throws(VerificationError) -> ResponseStatus {
        guard let last = response.message.additional.last, last.type == TSIGRecord.recordType else {
            return .unsigned
        }
        guard case .unknown(_, let rdata) = last.data, let record = TSIGRecord(owner: last.name, rdata: rdata) else {
            throw VerificationError(reason: "record is malformed")
        }
        if record.error != .noError {
            return .rejected(record.error)
        }
        guard record.keyName == self.key.name else {
            throw VerificationError(reason: "names key \(record.keyName), not \(self.key.name)")
        }
        guard record.algorithmName == self.key.algorithm.algorithmName else {
            throw VerificationError(reason: "uses \(record.algorithmName), not \(self.key.algorithm.algorithmName)")
        }
        var bytes = response.bytes
        guard let offset = DNSMessage.offsetOfLastRecord(in: bytes),
            let additionalCount = bytes.getInteger(at: bytes.readerIndex + 10, as: UInt16.self), additionalCount > 0
        else { throw VerificationError(reason: "record cannot be located") }
        bytes.setInteger(record.originalID, at: bytes.readerIndex)
        bytes.setInteger(additionalCount - 1, at: bytes.readerIndex + 10)
        let stripped = bytes.getBytes(at: bytes.readerIndex, length: offset) ?? []
        let input = TSIGRecord.bytes(UInt64(requestMAC.count), 2) + requestMAC + stripped + record.variables
        let expected = self.key.algorithm.mac(input, key: self.key.secret)
        guard expected.count == record.mac.count, zip(expected, record.mac).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw VerificationError(reason: "MAC does not verify")
        }
        let difference = now > record.timeSigned ? now - record.timeSigned : record.timeSigned - now
        guard difference <= UInt64(record.fudge) else {
            throw VerificationError(reason: "was signed \(difference) s away from our clock (fudge \(record.fudge) s)")
        }
        return .verified
    }

    /// The key's name and algorithm.
    public var description: String { "TSIGSigner(\(self.key))" }
}
