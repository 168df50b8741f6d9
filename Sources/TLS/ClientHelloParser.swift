import NIOCore

/// Reads a TLS ClientHello out of the first bytes of a connection without consuming them.
///
/// The parser looks at a `ByteBuffer` view and never moves its reader index, so the caller can
/// hand exactly the same bytes to the TLS implementation afterwards. Feed it everything received
/// so far each time more arrives: it answers ``Result/needMoreData`` until the whole ClientHello
/// handshake message is present, even when the client split it over several TLS records.
///
/// Only the structure needed to reach the extensions is checked; everything the parser has to
/// step over must be well-formed (lengths consistent, no bytes left over), and anything that is
/// not is reported as ``Result/notTLS`` so the caller closes the connection rather than guessing.
///
/// The amount of input is capped by ``maximumLength``: a ClientHello whose records need more
/// bytes than that is refused as soon as its lengths say so, before it is buffered.
public struct ClientHelloParser: Sendable {
    /// One maximum-size TLS plaintext record (2^14 bytes) plus its 5-byte header.
    public static let defaultMaximumLength = 16 * 1024 + 5

    /// The most bytes (record headers included) the ClientHello may occupy. Defaults to
    /// ``defaultMaximumLength``; real ClientHellos are well under 2 KiB, or about 3 KiB with a
    /// post-quantum key share.
    public var maximumLength: Int

    /// The outcome of looking at the bytes received so far.
    public enum Result: Sendable, Hashable {
        /// The bytes so far are a valid prefix of a ClientHello; wait for more.
        case needMoreData
        /// A complete ClientHello.
        case clientHello(ClientHello)
        /// The bytes are not a TLS handshake (the first byte is not 22), or are a malformed or
        /// oversized one.
        case notTLS
    }

    public init(maximumLength: Int = ClientHelloParser.defaultMaximumLength) {
        self.maximumLength = maximumLength
    }

    /// Looks for a ClientHello at the start of `bytes` (from its reader index). `bytes` is not
    /// modified.
    public func parse(_ bytes: ByteBuffer) -> Result {
        do {
            guard let body = try self.reassembleClientHello(bytes) else {
                return .needMoreData
            }
            return .clientHello(try Self.parseClientHelloBody(body))
        } catch {
            return .notTLS
        }
    }

    // MARK: - Record layer

    /// Collects the ClientHello handshake message from as many records as it spans and returns
    /// its body (after the 4-byte handshake header), or `nil` when more bytes are needed.
    private func reassembleClientHello(_ bytes: ByteBuffer) throws(Malformed) -> ByteBuffer? {
        // RFC 8446 §5.1 (the same layout since SSL 3.0):
        //
        //      enum {
        //          invalid(0),
        //          change_cipher_spec(20),
        //          alert(21),
        //          handshake(22),
        //          application_data(23),
        //          (255)
        //      } ContentType;
        //
        //      struct {
        //          ContentType type;
        //          ProtocolVersion legacy_record_version;
        //          uint16 length;
        //          opaque fragment[TLSPlaintext.length];
        //      } TLSPlaintext;
        //
        // "The length MUST NOT exceed 2^14 bytes." "Handshake messages MAY be coalesced into a
        // single TLSPlaintext record or fragmented across several records" and
        // "Implementations MUST NOT send zero-length fragments of Handshake types".
        // legacy_record_version is 0x0301 or 0x0303 for a ClientHello; we accept any 0x03xx.
        var input = bytes
        var handshake: ByteBuffer? = nil
        var consumed = 0

        while true {
            // Decide as early as the bytes allow: a first byte other than 22 or a major version
            // other than 3 is not TLS, whatever follows.
            guard let contentType = input.getInteger(at: input.readerIndex, as: UInt8.self) else {
                return nil
            }
            guard contentType == Self.contentTypeHandshake else { throw Malformed() }
            if let major = input.getInteger(at: input.readerIndex + 1, as: UInt8.self), major != 3 {
                throw Malformed()
            }
            guard input.readableBytes >= Self.recordHeaderLength else {
                guard consumed + Self.recordHeaderLength <= self.maximumLength else { throw Malformed() }
                return nil
            }
            input.moveReaderIndex(forwardBy: 3)  // type, legacy_record_version
            let length = Int(input.readInteger(as: UInt16.self)!)  // length checked above
            guard length > 0, length <= Self.maximumRecordLength else { throw Malformed() }
            consumed += Self.recordHeaderLength + length
            guard consumed <= self.maximumLength else { throw Malformed() }
            guard let fragment = input.readSlice(length: length) else {
                // The record is incomplete, but its handshake header may already show that this
                // is not a ClientHello or that it is too large: refuse now rather than buffer.
                if var partial = handshake {
                    if partial.readableBytes < Self.handshakeHeaderLength {
                        partial.writeImmutableBuffer(input)
                        _ = try self.completeClientHello(partial)
                    }
                } else {
                    _ = try self.completeClientHello(input)
                }
                return nil
            }

            if handshake == nil {
                handshake = fragment
            } else {
                handshake!.writeImmutableBuffer(fragment)
            }

            if let body = try self.completeClientHello(handshake!) {
                return body
            }
        }
    }

    /// Checks the handshake header and returns the ClientHello body once all of it is present.
    private func completeClientHello(_ handshake: ByteBuffer) throws(Malformed) -> ByteBuffer? {
        // RFC 8446 §4:
        //
        //      struct {
        //          HandshakeType msg_type;    /* handshake type */
        //          uint24 length;             /* remaining bytes in message */
        //          select (Handshake.msg_type) {
        //              case client_hello:          ClientHello;
        //              ...
        //          };
        //      } Handshake;
        //
        // client_hello(1) is the only message a client may send first.
        guard let header = handshake.getInteger(at: handshake.readerIndex, as: UInt32.self) else {
            if let type = handshake.getInteger(at: handshake.readerIndex, as: UInt8.self),
                type != Self.handshakeTypeClientHello
            {
                throw Malformed()
            }
            return nil
        }
        guard UInt8(header >> 24) == Self.handshakeTypeClientHello else { throw Malformed() }
        let length = Int(header & 0x00FF_FFFF)
        // The message needs at least one record header around it.
        guard Self.handshakeHeaderLength + length + Self.recordHeaderLength <= self.maximumLength else {
            throw Malformed()
        }
        return handshake.getSlice(at: handshake.readerIndex + Self.handshakeHeaderLength, length: length)
    }

    // MARK: - ClientHello

    /// Parses a complete ClientHello body (exactly the bytes the handshake header announced).
    private static func parseClientHelloBody(_ body: ByteBuffer) throws(Malformed) -> ClientHello {
        // RFC 8446 §4.1.2 (RFC 5246 §7.4.1.2 has the same layout, extensions optional):
        //
        //      uint16 ProtocolVersion;
        //      opaque Random[32];
        //
        //      uint8 CipherSuite[2];    /* Cryptographic suite selector */
        //
        //      struct {
        //          ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
        //          Random random;
        //          opaque legacy_session_id<0..32>;
        //          CipherSuite cipher_suites<2..2^16-2>;
        //          opaque legacy_compression_methods<1..2^8-1>;
        //          Extension extensions<8..2^16-1>;
        //      } ClientHello;
        var buffer = body
        try buffer.skip(2 + 32)  // legacy_version, random

        let sessionIDLength = Int(try buffer.read(UInt8.self))
        guard sessionIDLength <= 32 else { throw Malformed() }
        try buffer.skip(sessionIDLength)

        let cipherSuitesLength = Int(try buffer.read(UInt16.self))
        guard cipherSuitesLength >= 2, cipherSuitesLength % 2 == 0 else { throw Malformed() }
        try buffer.skip(cipherSuitesLength)

        let compressionMethodsLength = Int(try buffer.read(UInt8.self))
        guard compressionMethodsLength >= 1 else { throw Malformed() }
        try buffer.skip(compressionMethodsLength)

        // A TLS 1.2 (or older) client may end the ClientHello here: no extensions at all.
        if buffer.readableBytes == 0 {
            return ClientHello(serverName: nil, alpnProtocols: [])
        }
        var extensions = try buffer.readLengthPrefixed(UInt16.self)
        guard buffer.readableBytes == 0 else { throw Malformed() }
        return try Self.parseExtensions(&extensions)
    }

    /// Walks the extensions block, keeping server_name and ALPN.
    private static func parseExtensions(_ buffer: inout ByteBuffer) throws(Malformed) -> ClientHello {
        // RFC 8446 §4.2:
        //
        //      struct {
        //          ExtensionType extension_type;
        //          opaque extension_data<0..2^16-1>;
        //      } Extension;
        //
        //      enum {
        //          server_name(0),                             /* RFC 6066 */
        //          ...
        //          application_layer_protocol_negotiation(16), /* RFC 7301 */
        //          ...
        //          (65535)
        //      } ExtensionType;
        //
        // "There MUST NOT be more than one extension of the same type in a given extension
        // block." We enforce that for the two we read.
        var serverName: String? = nil
        var alpnProtocols: [String] = []
        var sawServerName = false
        var sawALPN = false

        while buffer.readableBytes > 0 {
            let type = try buffer.read(UInt16.self)
            var data = try buffer.readLengthPrefixed(UInt16.self)
            switch type {
            case Self.extensionServerName:
                guard !sawServerName else { throw Malformed() }
                sawServerName = true
                serverName = try Self.parseServerName(&data)
            case Self.extensionALPN:
                guard !sawALPN else { throw Malformed() }
                sawALPN = true
                alpnProtocols = try Self.parseALPN(&data)
            default:
                continue
            }
        }
        return ClientHello(serverName: serverName, alpnProtocols: alpnProtocols)
    }

    /// Parses the server_name extension data and returns its first host_name, lowercased.
    private static func parseServerName(_ data: inout ByteBuffer) throws(Malformed) -> String? {
        // RFC 6066 §3:
        //
        //      struct {
        //          NameType name_type;
        //          select (name_type) {
        //              case host_name: HostName;
        //          } name;
        //      } ServerName;
        //
        //      enum {
        //          host_name(0), (255)
        //      } NameType;
        //
        //      opaque HostName<1..2^16-1>;
        //
        //      struct {
        //          ServerName server_name_list<1..2^16-1>
        //      } ServerNameList;
        //
        // "The ServerNameList MUST NOT contain more than one name of the same name_type."
        // "For backward compatibility, all future data structures associated with new NameTypes
        // MUST begin with a 16-bit length field." So unknown types are skipped by that length.
        // "HostName contains the fully qualified DNS hostname of the server, as understood by
        // the client. The hostname is represented as a byte string using ASCII encoding without
        // a trailing dot." (Clients do send trailing dots; they are kept here and ignored by
        // certificate selection.) Literal IP addresses are not permitted; we do not police that.
        var list = try data.readLengthPrefixed(UInt16.self)
        guard data.readableBytes == 0, list.readableBytes > 0 else { throw Malformed() }

        var hostName: String? = nil
        while list.readableBytes > 0 {
            let nameType = try list.read(UInt8.self)
            let name = try list.readLengthPrefixed(UInt16.self)
            guard nameType == Self.nameTypeHostName else { continue }
            guard hostName == nil else { throw Malformed() }
            hostName = try Self.decodeHostName(name)
        }
        return hostName
    }

    /// Decodes a HostName: 1 to 255 printable ASCII bytes, lowercased.
    private static func decodeHostName(_ name: ByteBuffer) throws(Malformed) -> String {
        guard (1...255).contains(name.readableBytes) else { throw Malformed() }
        var valid = true
        let text = name.withUnsafeReadableBytes { bytes -> String in
            String(unsafeUninitializedCapacity: bytes.count) { output in
                for (index, byte) in bytes.enumerated() {
                    guard byte > 0x20, byte < 0x7F else {
                        valid = false
                        return 0
                    }
                    // ASCII lowercase: 'A'...'Z' -> 'a'...'z'.
                    output[index] = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
                }
                return bytes.count
            }
        }
        guard valid else { throw Malformed() }
        return text
    }

    /// Parses the ALPN extension data into the offered protocol names.
    private static func parseALPN(_ data: inout ByteBuffer) throws(Malformed) -> [String] {
        // RFC 7301 §3.1:
        //
        //      opaque ProtocolName<1..2^8-1>;
        //
        //      struct {
        //          ProtocolName protocol_name_list<2..2^16-1>
        //      } ProtocolNameList;
        //
        // "Empty strings MUST NOT be included and byte strings MUST NOT be truncated."
        // Protocol names are opaque bytes; the registered ones (h2, http/1.1, acme-tls/1) are
        // ASCII, and anything else is decoded as UTF-8 with replacement.
        var list = try data.readLengthPrefixed(UInt16.self)
        guard data.readableBytes == 0, list.readableBytes >= 2 else { throw Malformed() }

        var protocols: [String] = []
        while list.readableBytes > 0 {
            let name = try list.readLengthPrefixed(UInt8.self)
            guard name.readableBytes > 0 else { throw Malformed() }
            protocols.append(String(buffer: name))
        }
        return protocols
    }

    // MARK: - Constants

    private static let recordHeaderLength = 5
    private static let handshakeHeaderLength = 4
    private static let maximumRecordLength = 1 << 14
    private static let contentTypeHandshake: UInt8 = 22
    private static let handshakeTypeClientHello: UInt8 = 1
    private static let extensionServerName: UInt16 = 0
    private static let extensionALPN: UInt16 = 16
    private static let nameTypeHostName: UInt8 = 0
}

/// The bytes are not a well-formed ClientHello. Internal: callers see ``ClientHelloParser/Result/notTLS``.
private struct Malformed: Error {}

extension ByteBuffer {
    /// Reads a big-endian integer or fails when too few bytes remain.
    fileprivate mutating func read<T: FixedWidthInteger>(_: T.Type) throws(Malformed) -> T {
        guard let value = self.readInteger(as: T.self) else { throw Malformed() }
        return value
    }

    /// Skips `count` bytes or fails when too few remain.
    fileprivate mutating func skip(_ count: Int) throws(Malformed) {
        guard self.readableBytes >= count else { throw Malformed() }
        self.moveReaderIndex(forwardBy: count)
    }

    /// Reads a vector with a `Length`-sized length prefix, as a slice bounded to that vector, or
    /// fails when the prefix claims more bytes than remain.
    fileprivate mutating func readLengthPrefixed<Length: FixedWidthInteger>(
        _: Length.Type
    ) throws(Malformed) -> ByteBuffer {
        let length = Int(try self.read(Length.self))
        guard let slice = self.readSlice(length: length) else { throw Malformed() }
        return slice
    }
}
