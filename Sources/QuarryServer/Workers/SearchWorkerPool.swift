import NIOCore
import NIOPosix

/// A fixed set of threads, each with its own lazily created `SearchBackend`.
///
/// Per request: one hop to a pool thread (`NIOThreadPool.runIfActive`), where the backend is called and the
/// result JSON-encoded into bytes, and one hop back: the promise completes on the channel's event loop.
final class SearchWorkerPool: RequestExecutor {
    private let pool: NIOThreadPool
    private let slots: PerThreadSlots

    init(threads: Int, makeBackend: @escaping BackendFactory) {
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.slots = PerThreadSlots(makeBackend: makeBackend)
        pool.start()
    }

    func execute(
        _ request: ServerRequest,
        handler: @escaping WorkerHandler,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<ServerResponse> {
        let slots = self.slots
        return pool.runIfActive(eventLoop: eventLoop) {
            slots.current().respond(to: request, with: handler)
        }
    }

    func shutdown() async {
        // Pool threads exit here; each thread's slot (and backend) is released on its own thread.
        try? await pool.shutdownGracefully()
    }
}

/// One `WorkerSlot` per pool thread.
///
/// `@unchecked Sendable`: `ThreadSpecificVariable` is thread-safe, and a slot is only ever read by the
/// thread that created it, so the non-Sendable backend inside never crosses threads.
private final class PerThreadSlots: @unchecked Sendable {
    private let variable = ThreadSpecificVariable<WorkerSlot>()
    private let makeBackend: BackendFactory

    init(makeBackend: @escaping BackendFactory) {
        self.makeBackend = makeBackend
    }

    func current() -> WorkerSlot {
        if let slot = variable.currentValue {
            return slot
        }
        let slot = WorkerSlot(makeBackend: makeBackend)
        variable.currentValue = slot
        return slot
    }
}
