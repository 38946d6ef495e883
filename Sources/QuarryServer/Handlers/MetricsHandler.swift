import NIOCore

/// `GET /metrics`: Prometheus text exposition. Runs on the event loop: it only reads the registry.
enum MetricsHandler {
    static func metrics(_ context: ServerContext) -> @Sendable (ServerRequest) -> ServerResponse {
        { _ in
            ServerResponse(
                status: .ok,
                contentType: ServerResponse.prometheusContentType,
                body: ByteBuffer(bytes: context.metrics.exposition())
            )
        }
    }
}
