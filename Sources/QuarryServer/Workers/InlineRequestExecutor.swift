import NIOCore
import Synchronization

/// Runs handlers synchronously on the calling thread with a single backend.
/// For `EmbeddedChannel` tests only: production must use `SearchWorkerPool`, never the event loop.
final class InlineRequestExecutor: RequestExecutor {
    private let slot: Mutex<WorkerSlot>

    init(makeBackend: @escaping BackendFactory) {
        self.slot = Mutex(WorkerSlot(makeBackend: makeBackend))
    }

    func execute(
        _ request: ServerRequest,
        handler: @escaping WorkerHandler,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<ServerResponse> {
        let response = slot.withLock { $0.respond(to: request, with: handler) }
        return eventLoop.makeSucceededFuture(response)
    }

    func shutdown() async {}
}
