import NIOCore
import Synchronization

/// Keeps an event loop polling while one of its requests is on a worker, so that the worker's answer is
/// picked up within a loop cycle instead of by waking a sleeping thread. On virtual machines that wake-up
/// is the largest cost left between the engine and the client (an idle virtual CPU halts, and waking it
/// takes an interrupt through the host): it is the same reason idle workers poll for their next job.
///
/// Polling re-queues a no-op task, so the loop keeps cycling through non-blocking selects and its task
/// queue: other connections are served as usual, nothing blocks. It stops when the answer arrives or after
/// `duration`, and only runs while fewer requests are on workers than there are cores, so it never takes
/// a core that a search could use.
final class AnswerPolling: Sendable {
    let duration: TimeAmount
    private let maxRequestsOnWorkers: Int
    private let requestsOnWorkers = Atomic<Int>(0)
    private let pollsStarted = Atomic<Int>(0)
    private let cyclesRun = Atomic<Int>(0)

    /// Answers awaited by polling so far, and loop cycles spent polling (for tests and diagnosis).
    var polls: Int { pollsStarted.load(ordering: .relaxed) }
    var cycles: Int { cyclesRun.load(ordering: .relaxed) }

    /// - Parameters:
    ///   - duration: the longest a loop polls for one answer; zero turns polling off.
    ///   - cores: the machine's cores; polling starts only while fewer requests than this are on workers.
    init(duration: TimeAmount, cores: Int) {
        self.duration = duration
        self.maxRequestsOnWorkers = max(0, cores - 1)
    }

    /// Call on `loop` when a request has gone to a worker; `answer` completes on `loop`.
    func poll<Value>(until answer: EventLoopFuture<Value>, on loop: any EventLoop) {
        guard duration > .zero else { return }  // off: nothing to count, no callback on the request path
        let onWorkers = requestsOnWorkers.add(1, ordering: .relaxed).newValue
        let state = PollState()
        answer.assumeIsolated().whenComplete { _ in
            state.answered = true
            self.requestsOnWorkers.subtract(1, ordering: .relaxed)
        }
        guard onWorkers <= maxRequestsOnWorkers else { return }
        pollsStarted.add(1, ordering: .relaxed)
        let deadline = NIODeadline.now() + duration
        let isolated = loop.assumeIsolated()
        func tick() {
            guard !state.answered, NIODeadline.now() < deadline,
                  requestsOnWorkers.load(ordering: .relaxed) <= maxRequestsOnWorkers else { return }
            cyclesRun.add(1, ordering: .relaxed)
            isolated.execute(tick)
        }
        isolated.execute(tick)
    }
}

/// Touched only on the request's event loop.
private final class PollState {
    var answered = false
}
