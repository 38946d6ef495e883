import NIOCore
import Synchronization

/// The open connections: enforces `max_connections` and lets shutdown quiesce and await them.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var accepting = true
        var drainWaiters: [EventLoopPromise<Void>] = []
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Registers a new connection; false when full or shutting down (the caller closes it).
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let admitted = state.withLock { state in
            guard state.accepting, state.channels.count < limit else { return false }
            state.channels[id] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.remove(id) }
        }
        return admitted
    }

    var count: Int { state.withLock { $0.channels.count } }

    /// Refuses new connections from now on and returns the open ones.
    func stopAccepting() -> [any Channel] {
        state.withLock { state in
            state.accepting = false
            return Array(state.channels.values)
        }
    }

    /// Succeeds once every registered connection has closed.
    func whenDrained(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let alreadyEmpty = state.withLock { state in
            if state.channels.isEmpty { return true }
            state.drainWaiters.append(promise)
            return false
        }
        if alreadyEmpty { promise.succeed() }
        return promise.futureResult
    }

    func closeAll() {
        for channel in state.withLock({ Array($0.channels.values) }) {
            channel.close(promise: nil)
        }
    }

    private func remove(_ id: ObjectIdentifier) {
        let waiters = state.withLock { state -> [EventLoopPromise<Void>] in
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
