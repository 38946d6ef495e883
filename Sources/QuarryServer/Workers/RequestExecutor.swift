import NIOCore
import QuarryAPI

/// The handler type that runs on a worker thread.
typealias WorkerHandler = @Sendable (ServerRequest, WorkerContext) throws(APIError) -> any Encodable

/// Where engine calls run. The production executor is `SearchWorkerPool` (never the event loop);
/// `InlineRequestExecutor` exists for `EmbeddedChannel` tests, which are single-threaded by design.
protocol RequestExecutor: Sendable {
    /// Runs `handler` with a worker's backend; the future completes on `eventLoop`.
    func execute(
        _ request: ServerRequest,
        handler: @escaping WorkerHandler,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<ServerResponse>

    /// Finishes queued work and releases the backends.
    func shutdown() async
}
