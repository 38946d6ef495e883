import NIOCore
import NIOPosix
import Testing
@testable import QuarryServer

@Suite struct AnswerPollingTests {
    /// Starts a poll on `loop` (as the HTTP handler does, on the loop) for a new promise and returns it.
    func awaitAnswer(_ polling: AnswerPolling, on loop: any EventLoop) async throws -> EventLoopPromise<Int> {
        try await loop.submit {
            let promise = loop.makePromise(of: Int.self)
            polling.poll(until: promise.futureResult, on: loop)
            return promise
        }.get()
    }

    /// Waits until the loop has run everything queued before this call.
    func settle(_ loop: any EventLoop) async throws {
        try await loop.submit {}.get()
    }

    @Test func theLoopPollsUntilTheAnswerArrivesThenStops() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let polling = AnswerPolling(duration: .seconds(10), cores: 2)
        let promise = try await awaitAnswer(polling, on: loop)
        try await Task.sleep(for: .milliseconds(20))
        #expect(polling.polls == 1)
        #expect(polling.cycles > 10, "the loop kept cycling while the answer was out")

        promise.succeed(1)  // from this thread, as a worker does
        _ = try await promise.futureResult.get()
        try await settle(loop)
        let afterAnswer = polling.cycles
        try await Task.sleep(for: .milliseconds(20))
        #expect(polling.cycles <= afterAnswer + 1, "polling stopped once answered")
    }

    @Test func pollingGivesUpAfterItsDuration() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let polling = AnswerPolling(duration: .milliseconds(5), cores: 2)
        let promise = try await awaitAnswer(polling, on: loop)
        try await Task.sleep(for: .milliseconds(50))
        let settled = polling.cycles
        try await Task.sleep(for: .milliseconds(20))
        #expect(polling.cycles == settled, "no polling after the duration, although no answer came")
        promise.succeed(1)
    }

    @Test func pollingStopsWhenAnotherSearchTakesTheSpareCore() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let polling = AnswerPolling(duration: .seconds(10), cores: 2)
        let first = try await awaitAnswer(polling, on: loop)
        try await Task.sleep(for: .milliseconds(10))
        let second = try await awaitAnswer(polling, on: loop)
        try await settle(loop)
        let settled = polling.cycles
        try await Task.sleep(for: .milliseconds(20))
        #expect(polling.cycles <= settled + 1, "the first request's polling gave the core to the second search")
        first.succeed(1)
        second.succeed(2)
    }

    @Test func noPollingWhenEveryCoreHasASearchOrWhenTurnedOff() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let polling = AnswerPolling(duration: .seconds(10), cores: 2)
        let first = try await awaitAnswer(polling, on: loop)
        let second = try await awaitAnswer(polling, on: loop)  // two searches on two cores: no core to spare
        #expect(polling.polls == 1)
        first.succeed(1)
        second.succeed(2)
        _ = try await (first.futureResult.get(), second.futureResult.get())
        try await settle(loop)
        let third = try await awaitAnswer(polling, on: loop)
        #expect(polling.polls == 2, "with the others answered, the next request polls again")
        third.succeed(3)

        let off = AnswerPolling(duration: .zero, cores: 8)
        let unpolled = try await awaitAnswer(off, on: loop)
        #expect(off.polls == 0)
        unpolled.succeed(4)
    }
}
