import Dispatch
import Foundation
import Synchronization

/// SIGINT / SIGTERM set a flag that the indexer polls between documents: it then commits what it has
/// and exits cleanly instead of dying mid-batch.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    private let actions = Mutex<[@Sendable () -> Void]>([])
    /// Set once at start-up, on the main thread; kept so the handlers stay installed.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() -> StopSignal {
        let stop = StopSignal()
        var installed: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            installed.append(source)
        }
        sources = installed
        return stop
    }

    func isSet() -> Bool { flag.load(ordering: .relaxed) }

    /// Runs `action` when the signal comes (e.g. to end a wait that would not look at the flag).
    func onSet(_ action: @escaping @Sendable () -> Void) {
        actions.withLock { $0.append(action) }
        if isSet() { action() }
    }

    private func set() {
        flag.store(true, ordering: .relaxed)
        for action in actions.withLock({ $0 }) { action() }
    }
}
