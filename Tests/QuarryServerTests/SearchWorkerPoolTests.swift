import Dispatch
import Foundation
import NIOCore
import NIOPosix
import QuarryAPI
import Synchronization
import Testing
@testable import QuarryServer

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SearchWorkerPoolTests {
    /// Answers with the serving thread's id, optionally after a pause.
    static func threadReporter(pauseMicroseconds: UInt32 = 0) -> WorkerHandler {
        { _, _ throws(APIError) in
            if pauseMicroseconds > 0 { usleep(pauseMicroseconds) }
            return ThreadReport(thread: UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))))
        }
    }

    struct ThreadReport: Encodable, Decodable { var thread: UInt }

    func run(_ pool: SearchWorkerPool, _ handler: @escaping WorkerHandler, on loop: any EventLoop) async throws -> UInt {
        let response = try await pool.execute(ServerRequest(method: .GET, path: "/x"), handler: handler, on: loop).get()
        #expect(response.status == .ok)
        return try JSONDecoder().decode(ThreadReport.self, from: Data(response.body.readableBytesView)).thread
    }

    @Test(arguments: [Duration.zero, .microseconds(250)])
    func oneClientAtATimeIsAlwaysServedByTheSameWarmWorker(spin: Duration) async throws {
        let pool = SearchWorkerPool(threads: 4, spin: spin, makeBackend: FakeBackend.factory(FakeRecorder()))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var threads = Set<UInt>()
        for _ in 0..<50 { threads.insert(try await run(pool, Self.threadReporter(), on: loop)) }
        await pool.shutdown()
        #expect(threads.count == 1, "sequential requests went to \(threads.count) workers")
    }

    @Test(arguments: [Duration.zero, .microseconds(250)])
    func concurrentRequestsSpreadOverWorkersAndAllAreAnswered(spin: Duration) async throws {
        let recorder = FakeRecorder()
        let pool = SearchWorkerPool(threads: 3, spin: spin, makeBackend: FakeBackend.factory(recorder))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let threads = try await withThrowingTaskGroup(of: UInt.self) { group in
            for _ in 0..<300 { group.addTask { try await run(pool, Self.threadReporter(pauseMicroseconds: 200), on: loop) } }
            var seen: [UInt] = []
            for try await thread in group { seen.append(thread) }
            return seen
        }
        await pool.shutdown()
        #expect(threads.count == 300)
        #expect(Set(threads).count == 3, "queued work is drained by every worker")
        #expect(recorder.backendsCreated <= 3)
    }

    @Test func shutdownFinishesAndLaterRequestsFail() async throws {
        let pool = SearchWorkerPool(threads: 2, spin: .microseconds(250), makeBackend: FakeBackend.factory(FakeRecorder()))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        _ = try await run(pool, Self.threadReporter(), on: loop)
        await pool.shutdown()
        await #expect(throws: PoolShutDown.self) {
            try await pool.execute(ServerRequest(method: .GET, path: "/x"), handler: Self.threadReporter(), on: loop).get()
        }
    }

    @Test func aPoolThatNeverRanAJobShutsDown() async {
        let pool = SearchWorkerPool(threads: 2, makeBackend: FakeBackend.factory(FakeRecorder()))
        await pool.shutdown()
    }
}
