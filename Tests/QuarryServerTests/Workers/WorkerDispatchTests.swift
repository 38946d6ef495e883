import Testing
@testable import QuarryServer

/// `WorkerDispatch` on its own, with Ints for jobs: no threads.
@Suite struct WorkerDispatchTests {
    /// The actions as plain values, to compare.
    enum Submitted: Equatable { case deliver(Int), queued, refused }
    enum Next: Equatable { case run(Int), idle, stop }

    static func submit(_ job: Int, to dispatch: inout WorkerDispatch<Int>) -> Submitted {
        switch dispatch.submit(job) {
        case .deliver(let worker): .deliver(worker)
        case .queued: .queued
        case .refused: .refused
        }
    }

    static func finish(_ worker: Int, in dispatch: inout WorkerDispatch<Int>) -> Next {
        switch dispatch.finished(worker: worker) {
        case .run(let job): .run(job)
        case .idle: .idle
        case .stop: .stop
        }
    }

    @Test func theMostRecentlyIdleWorkerGetsTheNextJob() {
        var dispatch = WorkerDispatch<Int>(workers: 3)
        // At first the highest-numbered worker is on top of the idle stack.
        #expect(Self.submit(1, to: &dispatch) == .deliver(2))
        #expect(Self.finish(2, in: &dispatch) == .idle)
        // One client at a time: always the same warm worker.
        for job in 2...10 {
            #expect(Self.submit(job, to: &dispatch) == .deliver(2))
            #expect(Self.finish(2, in: &dispatch) == .idle)
        }
        // Two at once: the next one down; whichever finishes last is chosen next.
        #expect(Self.submit(11, to: &dispatch) == .deliver(2))
        #expect(Self.submit(12, to: &dispatch) == .deliver(1))
        #expect(Self.finish(1, in: &dispatch) == .idle)
        #expect(Self.finish(2, in: &dispatch) == .idle)
        #expect(Self.submit(13, to: &dispatch) == .deliver(2))
        #expect(Self.submit(14, to: &dispatch) == .deliver(1))
        #expect(Self.submit(15, to: &dispatch) == .deliver(0))
    }

    @Test func jobsQueueWhenNoWorkerIsIdleAndDrainInArrivalOrder() {
        var dispatch = WorkerDispatch<Int>(workers: 2)
        #expect(Self.submit(1, to: &dispatch) == .deliver(1))
        #expect(Self.submit(2, to: &dispatch) == .deliver(0))
        for job in 3...6 { #expect(Self.submit(job, to: &dispatch) == .queued) }
        // Whichever worker finishes takes the oldest queued job.
        #expect(Self.finish(0, in: &dispatch) == .run(3))
        #expect(Self.finish(1, in: &dispatch) == .run(4))
        #expect(Self.finish(1, in: &dispatch) == .run(5))
        #expect(Self.finish(0, in: &dispatch) == .run(6))
        // Queue drained: workers go idle, and the last to do so is chosen first.
        #expect(Self.finish(0, in: &dispatch) == .idle)
        #expect(Self.finish(1, in: &dispatch) == .idle)
        #expect(Self.submit(7, to: &dispatch) == .deliver(1))
    }

    @Test func shuttingDownHandsBackQueuedJobsToFailAndStopsEveryWorker() {
        var dispatch = WorkerDispatch<Int>(workers: 3)
        for job in 1...3 { _ = Self.submit(job, to: &dispatch) }
        #expect(Self.submit(4, to: &dispatch) == .queued)
        #expect(Self.submit(5, to: &dispatch) == .queued)
        let (queued, idle) = dispatch.shutDown()
        #expect(queued == [4, 5])
        #expect(idle.isEmpty)
        // Busy workers stop when they finish, however many jobs were queued.
        #expect(Self.finish(2, in: &dispatch) == .stop)
        #expect(Self.finish(0, in: &dispatch) == .stop)
        #expect(Self.finish(1, in: &dispatch) == .stop)
        #expect(Self.submit(6, to: &dispatch) == .refused)
    }

    @Test func shuttingDownHandsBackIdleWorkersToStopAndRefusesLaterJobs() {
        var dispatch = WorkerDispatch<Int>(workers: 3)
        #expect(Self.submit(1, to: &dispatch) == .deliver(2))
        let (queued, idle) = dispatch.shutDown()
        #expect(queued.isEmpty)
        #expect(Set(idle) == [0, 1])
        #expect(Self.submit(2, to: &dispatch) == .refused)
        #expect(Self.finish(2, in: &dispatch) == .stop)
        // A second shutdown has nothing left to hand back.
        let again = dispatch.shutDown()
        #expect(again.queued.isEmpty && again.idle.isEmpty)
    }

    @Test func aPoolThatNeverRanAJobStopsEveryWorkerAtShutdown() {
        var dispatch = WorkerDispatch<Int>(workers: 4)
        let (queued, idle) = dispatch.shutDown()
        #expect(queued.isEmpty)
        #expect(idle.sorted() == [0, 1, 2, 3])
    }

    @Test func theLastWorkerToStopIsReportedOnce() {
        var dispatch = WorkerDispatch<Int>(workers: 3)
        _ = dispatch.shutDown()
        #expect((0..<3).map { _ in dispatch.workerStopped() } == [false, false, true])
    }
}
