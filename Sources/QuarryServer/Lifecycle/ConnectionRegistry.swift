import NIOConcurrencyHelpers
import NIOCore

/// The open connections: enforces `max_connections` and lets shutdown quiesce and await them.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var accepting = true
        var drainWaiters: [EventLoopPromise<Void>] = []
    }

    // A pthread mutex, which ThreadSanitizer sees (why not Synchronization.Mutex: see SearchWorkerPool).
    private let state = NIOLockedValueBox(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Registers a new connection; false when full or shutting down (the caller closes it).
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let admitted = state.withLockedValue { state in
            guard state.accepting, state.channels.count < limit else { return false }
            state.channels[id] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.remove(id) }
        }
        return admitted
    }

    var count: Int { state.withLockedValue { $0.channels.count } }

    /// Refuses new connections from now on and returns the open ones.
    func stopAccepting() -> [any Channel] {
        state.withLockedValue { state in
            state.accepting = false
            return Array(state.channels.values)
        }
    }

    /// Succeeds once every registered connection has closed.
    func whenDrained(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let alreadyEmpty = state.withLockedValue { state in
            if state.channels.isEmpty { return true }
            state.drainWaiters.append(promise)
            return false
        }
        if alreadyEmpty { promise.succeed() }
        return promise.futureResult
    }

    func closeAll() {
        for channel in state.withLockedValue({ Array($0.channels.values) }) {
            channel.close(promise: nil)
        }
    }

    private func remove(_ id: ObjectIdentifier) {
        let waiters = state.withLockedValue { state -> [EventLoopPromise<Void>] in
            state.channels[id] = nil
            guard state.channels.isEmpty else { return [] }
            defer { state.drainWaiters = [] }
            return state.drainWaiters
        }
        waiters.forEach { $0.succeed() }
    }
}

/// Thrown from the child channel initializer to have NIO close a connection we do not take.
struct ConnectionRefused: Error {}
