import NIOCore
import NIOHTTP1

/// The per-connection pipeline, shared by the real server and the `EmbeddedChannel` tests:
/// idle timer → HTTP/1.1 codec (head size limited) → request deadline → pipelining assistance →
/// `HTTPServerHandler`.
enum ChannelSetup {
    static func configure(_ channel: any Channel, services: RequestServices, limits: ConnectionLimits) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(IdleStateHandler(allTimeout: limits.idleTimeout))
        // Our handler answers malformed requests itself (JSON 400/431, then close), hence no error handler here.
        // Every response header is written by this server from constants, so outbound validation would only
        // re-check our own strings on every response.
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits.decoderLimits)
        let deadline = RequestDeadlineHandler(deadline: limits.requestTimeout, metrics: services.metrics,
                                              logger: services.logger)
        try pipeline.addHandler(deadline, position: .before(try pipeline.handler(type: HTTPServerPipelineHandler.self)))
        try pipeline.addHandler(HTTPServerHandler(services: services))
    }
}

/// The per-connection limits of `ServerConfiguration`, converted once at startup.
struct ConnectionLimits: Sendable {
    var idleTimeout: TimeAmount
    var requestTimeout: TimeAmount
    var maxHeaderBytes: Int

    init(_ configuration: ServerConfiguration) {
        idleTimeout = .seconds(Int64(configuration.idleTimeoutSeconds))
        requestTimeout = .seconds(Int64(configuration.requestTimeoutSeconds))
        maxHeaderBytes = configuration.maxHeaderBytes
    }

    /// The request line and every header together, and so any single one of them, fit in `max_header_bytes`.
    var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxHeaderBytes
        limits.maxHeaderListSize = maxHeaderBytes
        return limits
    }
}
