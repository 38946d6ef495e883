import NIOConcurrencyHelpers

/// A one-shot event tasks can await (no EventLoopPromise: those must not be dropped unfulfilled).
final class CompletionSignal: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Void, Never>])
        case fired
    }

    // A pthread mutex, which ThreadSanitizer sees (why not Synchronization.Mutex: see SearchWorkerPool).
    private let state = NIOLockedValueBox(State.waiting([]))

    func fire() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .fired
            return waiters
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let firedAlready = state.withLockedValue { state -> Bool in
                switch state {
                case .fired:
                    return true
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return false
                }
            }
            if firedAlready { continuation.resume() }
        }
    }
}
