import NIOCore

/// Whether NIO closes the channel by itself right after reporting `error` to `errorCaught`.
///
/// A socket read error (`IOError`, e.g. ECONNRESET when a client aborts) is followed by the
/// channel's own close; a handler that closes as well sends the close down the pipeline
/// first, and NIOSSLHandler answers that with a close_notify and a shutdown timer that outlives
/// the connection and keeps its 48 KiB of buffers alive until it fires. So handlers close on
/// errors only when this is `false`.
func channelClosesItself(after error: any Error) -> Bool {
    error is IOError
}
