import NIOCore
import NIOHTTP1

/// The per-connection pipeline, shared by the real server and the `EmbeddedChannel` tests:
/// idle timer → HTTP/1.1 codec with pipelining assistance → `HTTPServerHandler`.
enum ChannelSetup {
    static func configure(_ channel: any Channel, services: RequestServices, idleTimeout: TimeAmount) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
        // Our handler answers malformed requests itself (JSON 400, then close), hence no error handler here.
        // Every response header is written by this server from constants, so outbound validation would only
        // re-check our own strings on every response.
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withOutboundHeaderValidation: false)
        try pipeline.addHandler(HTTPServerHandler(services: services))
    }
}
