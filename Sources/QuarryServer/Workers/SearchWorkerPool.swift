#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Synchronization  // Atomic: the mailbox flag idle workers poll

/// A fixed set of worker threads; each owns its `WorkerSlot` (engine handle and coders) for its whole life.
///
/// Per request: one hop to a worker, where the backend is called and the result encoded into bytes, and one
/// hop back (the promise completes on the channel's event loop). A request goes to the most recently idle
/// worker (last in, first out), so under light load one thread, with warm CPU caches and a warm Xapian
/// reader, serves every request; under load, requests queue and every worker drains the queue before it
/// sleeps. (NIOThreadPool wakes whichever thread waited longest: with one client, workers alternated.)
final class SearchWorkerPool: RequestExecutor {
    private let workers: [Worker]
    // NIOLockedValueBox (a pthread mutex), not Synchronization.Mutex: when contended, Mutex locks and unlocks
    // through a PI futex inside the uninstrumented stdlib, which ThreadSanitizer cannot see, so it reported
    // races on every field it guards (scripts/sanitize, CONTRIBUTING.md "Sanitizers").
    private let dispatch: NIOLockedValueBox<WorkerDispatch<Job>>
    private let stopped = CompletionSignal()

    /// - Parameter spin: how long an idle worker polls for its next job before it sleeps.
    init(threads: Int, spin: Duration = .zero, makeBackend: @escaping BackendFactory) {
        let count = max(1, threads)
        workers = (0..<count).map { _ in Worker(spin: spin) }
        dispatch = NIOLockedValueBox(WorkerDispatch(workers: count))
        for index in 0..<count {
            let name = "quarry-worker-\(index)"
            let thread = Thread { [self] in
                POSIX.nameCurrentThread(name)
                self.run(worker: index, slot: WorkerSlot(makeBackend: makeBackend))
            }
            thread.name = name
            // Xapian's matcher recurses over the query tree: give it the usual 8 MiB main-thread stack.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func execute(
        _ request: ServerRequest,
        handler: @escaping WorkerHandler,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<ServerResponse> {
        let promise = eventLoop.makePromise(of: ServerResponse.self)
        let job = Job(request: request, handler: handler, promise: promise)
        switch dispatch.withLockedValue({ $0.submit(job) }) {
        case .deliver(let index): workers[index].deliver(.job(job))
        case .queued: break  // the next worker to finish takes it
        case .refused: promise.fail(PoolShutDown())
        }
        return promise.futureResult
    }

    func shutdown() async {
        let (queued, idle) = dispatch.withLockedValue { $0.shutDown() }
        queued.forEach { $0.promise.fail(PoolShutDown()) }
        idle.forEach { workers[$0].deliver(.stop) }
        await stopped.wait()
    }

    /// A worker thread's life: run a job, then take the next queued one or go idle until one is delivered.
    /// The slot (and its engine handle) is created and released on this thread.
    private func run(worker index: Int, slot: WorkerSlot) {
        var message = workers[index].receive()
        while case .job(let job) = message {
            let response = slot.respond(to: job.request, with: job.handler)
            // Take the next job or go idle *before* answering: the client's next request then finds this
            // (warm) worker on top of the idle stack.
            let next = dispatch.withLockedValue { $0.finished(worker: index) }
            job.promise.succeed(response)
            switch next {
            case .run(let queued): message = .job(queued)
            case .idle: message = workers[index].receive()
            case .stop: message = .stop
            }
        }
        if dispatch.withLockedValue({ $0.workerStopped() }) { stopped.fire() }
    }
}

private struct Job: Sendable {
    var request: ServerRequest
    var handler: WorkerHandler
    var promise: EventLoopPromise<ServerResponse>
}

private enum Message: Sendable {
    case job(Job)
    case stop
}

/// One worker's mailbox: at most one message, handed over under a condition lock (0 = empty, 1 = full).
///
/// An idle worker first polls its mailbox for `spin` (yielding the CPU between looks) before it sleeps:
/// a client's next request usually comes within a round trip, and waking a sleeping thread costs far more
/// on virtual machines than the poll (an idle virtual CPU halts, and waking it takes an interrupt).
private final class Worker: @unchecked Sendable {
    private let condition = ConditionLock(value: 0)
    private var mailbox: Message?  // guarded by `condition`
    private let hasMail = Atomic<Bool>(false)

    private let spin: Duration

    init(spin: Duration) {
        self.spin = spin
    }

    func deliver(_ message: Message) {
        condition.lock()
        mailbox = message
        hasMail.store(true, ordering: .releasing)
        condition.unlock(withValue: 1)
    }

    func receive() -> Message {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: spin)
        while !hasMail.load(ordering: .acquiring) && clock.now < deadline { sched_yield() }
        condition.lock(whenValue: 1)
        let message = mailbox ?? .stop
        mailbox = nil
        hasMail.store(false, ordering: .relaxed)
        condition.unlock(withValue: 0)
        return message
    }
}

/// The pool is shutting down: the request is answered 503 shutting_down.
struct PoolShutDown: Error {}
