import NIOCore

/// Which worker runs which job, apart from the threads: `SearchWorkerPool` holds it under its lock and performs
/// the actions it returns (deliver a job to a worker's mailbox, fail a job, stop a worker). Generic over the job
/// so that it is tested with plain values, without threads.
///
/// A job goes to the most recently idle worker (last in, first out), so under light load one warm worker serves
/// every request; with no worker idle, jobs queue and are taken in arrival order by whichever worker finishes.
struct WorkerDispatch<Job> {
    enum SubmitAction {
        /// Hand the job to this idle worker.
        case deliver(to: Int)
        /// Every worker is busy: the job waits for the next one to finish.
        case queued
        /// The pool is shutting down: fail the job.
        case refused
    }

    enum NextAction {
        /// Run this queued job.
        case run(Job)
        /// Wait for a delivery.
        case idle
        /// The pool is shutting down: end the thread.
        case stop
    }

    private var queue = CircularBuffer<Job>()
    /// Workers waiting for a delivery; the last one is the most recently idle.
    private var idle: [Int]
    private var isShuttingDown = false
    /// Worker threads not yet stopped.
    private var running: Int

    /// `workers` workers, numbered from 0, all idle.
    init(workers: Int) {
        idle = Array(0..<workers)
        running = workers
    }

    mutating func submit(_ job: Job) -> SubmitAction {
        guard !isShuttingDown else { return .refused }
        if let worker = idle.popLast() { return .deliver(to: worker) }
        queue.append(job)
        return .queued
    }

    /// `worker` has finished its job: it takes the oldest queued job, or goes idle (on top of the idle stack).
    mutating func finished(worker: Int) -> NextAction {
        if let next = queue.popFirst() { return .run(next) }
        if isShuttingDown { return .stop }
        idle.append(worker)
        return .idle
    }

    /// No job is accepted from now on. Returns the queued jobs, to fail, and the idle workers, to stop;
    /// busy workers stop when they finish (`finished` answers `.stop`).
    mutating func shutDown() -> (queued: [Job], idle: [Int]) {
        isShuttingDown = true
        defer {
            queue.removeAll()
            idle.removeAll()
        }
        return (Array(queue), idle)
    }

    /// A worker thread has ended; true for the last one.
    mutating func workerStopped() -> Bool {
        running -= 1
        return running == 0
    }
}

extension WorkerDispatch: Sendable where Job: Sendable {}
