import Dispatch
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import QuarryAPI
import QuarryTestSupport
import Testing
@testable import QuarryServer

#if canImport(Glibc)
import Glibc
#endif

/// The pool with real threads. Its dispatch decisions alone are in `WorkerDispatchTests`.
@Suite(.timeLimit(.minutes(1)))
struct SearchWorkerPoolTests {
    /// What a job answers: which request it was, and which thread served it.
    struct Report: Codable, Equatable {
        var path: String
        var thread: UInt
    }

    static var currentThread: UInt { UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))) }

    /// Answers with the request's path and the serving thread, after calling the worker's backend (which
    /// records a call from any thread but the one that created it) and, optionally, a pause.
    static func reporter(pauseMicroseconds: UInt32 = 0, gate: SearchGate? = nil) -> WorkerHandler {
        { request, context throws(APIError) in
            let backend = try context.openBackend()
            do throws(SearchFailure) {
                _ = try backend.stats()
            } catch {
                throw .indexUnavailable(error)
            }
            if let gate {
                gate.entered.signal()
                gate.released.wait()
            }
            if pauseMicroseconds > 0 { usleep(pauseMicroseconds) }
            return Report(path: String(request.path), thread: currentThread)
        }
    }

    static func submit(_ pool: SearchWorkerPool, path: String = "/x", _ handler: @escaping WorkerHandler = reporter(),
                       on loop: any EventLoop) -> EventLoopFuture<ServerResponse> {
        pool.execute(ServerRequest(method: .GET, path: Substring(path)), handler: handler, on: loop)
    }

    static func report(_ response: ServerResponse) throws -> Report {
        #expect(response.status == .ok)
        return try JSONDecoder().decode(Report.self, from: Data(response.body.readableBytesView))
    }

    @Test(arguments: [Duration.zero, .microseconds(250)])
    func oneClientAtATimeIsAlwaysServedByTheSameWarmWorker(spin: Duration) async throws {
        let recorder = FakeRecorder()
        let pool = SearchWorkerPool(threads: 4, spin: spin, makeBackend: FakeBackend.factory(recorder))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var threads = Set<UInt>()
        for index in 0..<50 {
            let report = try Self.report(try await Self.submit(pool, path: "/x/\(index)", on: loop).get())
            #expect(report.path == "/x/\(index)")
            threads.insert(report.thread)
        }
        await pool.shutdown()
        #expect(threads.count == 1, "sequential requests went to \(threads.count) workers")
        #expect(recorder.backendsCreated == 1)
        #expect(recorder.wrongThreadCalls == 0)
    }

    @Test(arguments: [Duration.zero, .microseconds(250)])
    func concurrentRequestsAreAllAnsweredAndEachWorkerKeepsItsOwnBackend(spin: Duration) async throws {
        let recorder = FakeRecorder()
        let pool = SearchWorkerPool(threads: 3, spin: spin, makeBackend: FakeBackend.factory(recorder))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let count = 300
        let reports = try await withThrowingTaskGroup(of: Report.self) { group in
            for index in 0..<count {
                group.addTask {
                    try Self.report(try await Self.submit(pool, path: "/x/\(index)", Self.reporter(pauseMicroseconds: 200),
                                                          on: loop).get())
                }
            }
            var reports: [Report] = []
            for try await report in group { reports.append(report) }
            return reports
        }
        await pool.shutdown()
        // Every request answered once, with its own answer.
        #expect(reports.map(\.path).sorted() == (0..<count).map { "/x/\($0)" }.sorted())
        let threads = Set(reports.map(\.thread))
        #expect(threads.count == 3, "queued work is drained by every worker")
        #expect(!threads.contains(Self.currentThread))
        // One backend per worker, created on first use on that worker's thread and called only there.
        #expect(recorder.backendsCreated == threads.count)
        #expect(recorder.wrongThreadCalls == 0)
    }

    @Test func shutdownFailsQueuedJobsFinishesTheRunningOneAndRefusesLaterOnes() async throws {
        let recorder = FakeRecorder()
        let pool = SearchWorkerPool(threads: 1, makeBackend: FakeBackend.factory(recorder))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let gate = SearchGate()
        let running = Self.submit(pool, path: "/running", Self.reporter(gate: gate), on: loop)
        try await blocking { gate.entered.wait() }
        // The only worker is busy: these wait in the queue.
        let queued = (0..<3).map { Self.submit(pool, path: "/queued/\($0)", on: loop) }
        let shutdown = Task { await pool.shutdown() }
        for future in queued {
            await #expect(throws: PoolShutDown.self) { try await future.get() }
        }
        await #expect(throws: PoolShutDown.self) { try await Self.submit(pool, on: loop).get() }
        gate.released.signal()
        #expect(try Self.report(try await running.get()).path == "/running")
        await shutdown.value
        #expect(recorder.backendsCreated == 1)
        await #expect(throws: PoolShutDown.self) { try await Self.submit(pool, on: loop).get() }
    }

    @Test func aPoolThatNeverRanAJobShutsDownWithoutCreatingABackend() async throws {
        let recorder = FakeRecorder()
        let pool = SearchWorkerPool(threads: 2, spin: .microseconds(250), makeBackend: FakeBackend.factory(recorder))
        await pool.shutdown()  // returns once every worker thread has ended (the time limit catches a hang)
        #expect(recorder.backendsCreated == 0)
        await #expect(throws: PoolShutDown.self) {
            try await Self.submit(pool, on: MultiThreadedEventLoopGroup.singleton.next()).get()
        }
    }

    /// What a client sees of `PoolShutDown`: the HTTP pipeline answers 503 shutting_down.
    @Test func aRequestRefusedByTheShutDownPoolIsAnswered503() async throws {
        let pool = SearchWorkerPool(threads: 1, makeBackend: FakeBackend.factory(FakeRecorder()))
        await pool.shutdown()
        // The refusal completes the promise at once, on the caller's (the embedded loop's) thread.
        let responses = try Self.roundTrip(.request("GET", "/search?q=x"), executor: pool)
        #expect(responses.map(\.status) == [503])
        #expect(responses.first?.errorCode == "shutting_down")
    }

    /// Sends `raw` through the real HTTP pipeline on an EmbeddedChannel, with `executor` running engine calls.
    /// Synchronous: the channel is used on one thread only. The executor must answer at once.
    static func roundTrip(_ raw: String, executor: any RequestExecutor) throws -> [RawHTTPResponse] {
        let configuration = ServerConfiguration(socketPath: "/unused")
        let services = RequestServices(configuration: configuration, executor: executor, metrics: ServerMetrics(),
                                       logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let channel = EmbeddedChannel()
        try ChannelSetup.configure(channel, services: services, limits: ConnectionLimits(configuration))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/embedded.sock")).wait()
        defer { _ = try? channel.finish() }
        try channel.writeInbound(ByteBuffer(string: raw))
        var bytes: [UInt8] = []
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { bytes += buffer.readableBytesView }
        }
        return RawHTTPResponse.parseAll(bytes)
    }
}
