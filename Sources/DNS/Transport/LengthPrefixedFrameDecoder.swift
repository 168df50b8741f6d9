import NIOCore

/// Splits a TCP byte stream into DNS messages: each is preceded by a two-octet length in
/// network byte order (RFC 1035 §4.2.2, RFC 7766 §8). Passes each message on as its own
/// buffer; a connection may carry any number of them.
struct LengthPrefixedFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            let frame = buffer.getSlice(at: buffer.readerIndex + 2, length: Int(length))
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2 + Int(length))
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A partial message at the end of the stream is dropped.
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
