import NIOCore
import NIOHTTP1

/// The per-connection pipeline, shared by the real server and the `EmbeddedChannel` tests:
/// idle timer → HTTP/1.1 codec with pipelining assistance → `HTTPServerHandler`.
enum ChannelSetup {
    static func configure(_ channel: any Channel, services: RequestServices, idleTimeout: TimeAmount) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
        // Our handler answers malformed requests itself (JSON 400, then close), hence no error handler here.
        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false)
        try pipeline.addHandler(HTTPServerHandler(services: services))
    }
}
