import NIOCore
import Testing
@testable import QuarryServer

/// `RequestDeadlineState` on its own: synthetic clock values, no channel, no threads. Each test replays what
/// `RequestDeadlineHandler` would feed it for one connection and checks the timer actions.
@Suite("Request deadline state")
struct RequestDeadlineStateTests {
    typealias Action = RequestDeadlineState.TimerAction

    /// Seconds since an arbitrary origin, as the loop's clock.
    static func at(_ seconds: Double) -> NIODeadline {
        .uptimeNanoseconds(1_000_000_000_000 + UInt64(seconds * 1_000_000_000))
    }

    func fresh() -> RequestDeadlineState { RequestDeadlineState(deadline: .seconds(10)) }

    @Test func aSlowHeadExpiresTenSecondsAfterItsFirstBytes() {
        var state = fresh()
        // First bytes: part of a head the decoder is still collecting.
        #expect(state.readCompleted(now: Self.at(0)) == .arm(at: Self.at(10)))
        // More bytes trickle in: the clock keeps its start, the one timer stays.
        for second in 1...9 { #expect(state.readCompleted(now: Self.at(Double(second))) == .nothing) }
        #expect(state.requestHeadReceived(now: Self.at(9.5)) == .nothing)
        #expect(state.requestStarted == Self.at(0))
        #expect(state.timerFired(now: Self.at(10)) == .expire(answeredEarly: false))
        #expect(state.expired)
        #expect(state.requestStarted == nil)
    }

    @Test func aHeadInOneReadStartsTheClockOnce() {
        var state = fresh()
        #expect(state.requestHeadReceived(now: Self.at(0)) == .arm(at: Self.at(10)))
        #expect(state.readCompleted(now: Self.at(0)) == .nothing)
        #expect(state.timerArmed)
    }

    @Test func aRequestCompletingJustBeforeTheDeadlineIsNotCut() {
        var state = fresh()
        #expect(state.readCompleted(now: Self.at(0)) == .arm(at: Self.at(10)))
        #expect(state.requestHeadReceived(now: Self.at(9.999)) == .nothing)
        state.requestEnded()
        #expect(state.readCompleted(now: Self.at(9.999)) == .nothing, "no leftover bytes: no new clock")
        state.responseEnded(now: Self.at(9.9995))
        // The timer fires with no request being received: nothing to do, and it is not re-armed.
        #expect(state.timerFired(now: Self.at(10)) == .nothing)
        #expect(!state.expired && !state.timerArmed)
        // The next request arms a timer of its own.
        #expect(state.readCompleted(now: Self.at(30)) == .arm(at: Self.at(40)))
    }

    @Test func aLaterRequestGetsItsOwnDeadlineFromTheTimerArmedForAnEarlierOne() {
        var state = fresh()
        #expect(state.readCompleted(now: Self.at(0)) == .arm(at: Self.at(10)))
        _ = state.requestHeadReceived(now: Self.at(5))
        state.requestEnded()
        _ = state.readCompleted(now: Self.at(5))
        state.responseEnded(now: Self.at(5))
        // The second request starts at 8 s; the timer still armed for the first must not be doubled.
        #expect(state.readCompleted(now: Self.at(8)) == .nothing)
        #expect(state.timerFired(now: Self.at(10)) == .arm(at: Self.at(18)))
        #expect(state.timerFired(now: Self.at(18)) == .expire(answeredEarly: false))
    }

    @Test func aPipelinedRequestWaitsItsTurnThenHasTheWholeDeadline() {
        var state = fresh()
        // One read: a complete request, then the head of a second (its body still to come).
        #expect(state.requestHeadReceived(now: Self.at(0)) == .arm(at: Self.at(10)))
        state.requestEnded()
        #expect(state.requestHeadReceived(now: Self.at(0)) == .nothing)
        #expect(state.readCompleted(now: Self.at(0)) == .nothing)
        #expect(state.unanswered == 1)
        // The first is still being answered: the second's clock does not run.
        #expect(state.timerFired(now: Self.at(10)) == .arm(at: Self.at(20)))
        #expect(state.timerFired(now: Self.at(20)) == .arm(at: Self.at(30)))
        // Answered at 25 s: the second's clock starts then.
        state.responseEnded(now: Self.at(25))
        #expect(state.requestStarted == Self.at(25))
        #expect(state.timerFired(now: Self.at(30)) == .arm(at: Self.at(35)))
        #expect(state.timerFired(now: Self.at(35)) == .expire(answeredEarly: false))
    }

    @Test func leftoverBytesAfterARequestsEndStartTheClockOnTheNextRead() {
        var state = fresh()
        _ = state.requestHeadReceived(now: Self.at(0))
        state.requestEnded()
        // The same read carried the start of another head: not started yet.
        #expect(state.readCompleted(now: Self.at(0)) == .nothing)
        #expect(state.requestStarted == nil)
        state.responseEnded(now: Self.at(1))
        #expect(state.readCompleted(now: Self.at(2)) == .nothing, "the timer from 0 s is still armed")
        #expect(state.requestStarted == Self.at(2))
        #expect(state.timerFired(now: Self.at(10)) == .arm(at: Self.at(12)))
    }

    @Test func answeredEarlyThenTimedOutOnlyCloses() {
        var state = fresh()
        #expect(state.requestHeadReceived(now: Self.at(0)) == .arm(at: Self.at(10)))
        // 413 written before the body arrived: a response with no request ended before it.
        state.responseEnded(now: Self.at(1))
        #expect(state.answeredEarly)
        #expect(state.timerFired(now: Self.at(10)) == .expire(answeredEarly: true))
    }

    @Test func aStoppedTimerIsArmedAgainByTheNextRequest() {
        var state = fresh()
        #expect(state.readCompleted(now: Self.at(0)) == .arm(at: Self.at(10)))
        state.timerStopped()
        #expect(!state.timerArmed)
        _ = state.requestHeadReceived(now: Self.at(1))
        state.requestEnded()
        _ = state.readCompleted(now: Self.at(1))
        state.responseEnded(now: Self.at(1))
        #expect(state.readCompleted(now: Self.at(3)) == .arm(at: Self.at(13)))
    }
}
