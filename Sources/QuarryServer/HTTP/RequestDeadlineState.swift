import NIOCore

/// The bookkeeping behind `request_timeout_seconds` for one connection, apart from the channel: when the request
/// being received started, how many received requests still await their response (pipelining), and the one timer
/// per connection. `RequestDeadlineHandler` feeds it the channel's events with the loop's clock and performs the
/// `TimerAction`s it returns; nothing here touches a channel, so it is tested with plain `NIODeadline`s.
/// The clock is passed as an autoclosure, read only when a clock starts: a request costs one clock read.
///
/// The timer is armed when a request's clock starts and no timer is armed, and re-armed only when it fires (at
/// most once per deadline on a busy connection), never scheduled and cancelled per request.
struct RequestDeadlineState {
    /// What the handler does with the connection's timer.
    enum TimerAction: Equatable {
        /// Schedule the timer (none is scheduled) for this time.
        case arm(at: NIODeadline)
        /// The request ran out of time: answer 408 and close, or, when the server has already answered
        /// (`answeredEarly`: 413, 400, the connection is closing anyway), only close.
        case expire(answeredEarly: Bool)
        case nothing
    }

    let deadline: TimeAmount

    /// When the first bytes of the request still being received arrived; nil between requests.
    private(set) var requestStarted: NIODeadline?
    /// Requests received in full whose response has not been written yet (pipelining).
    private(set) var unanswered = 0
    /// The server answered before a request ended (413, 400): the connection is closing anyway.
    private(set) var answeredEarly = false
    /// A request ended during the current read: bytes left over are the next request's, or nothing.
    private var requestEndedThisRead = false
    /// 408 sent (or the connection cut): what still comes in is dropped.
    private(set) var expired = false
    /// The handler has a timer scheduled.
    private(set) var timerArmed = false

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

    /// A request head was decoded: the request's clock starts now unless its first bytes already started it.
    mutating func requestHeadReceived(now: @autoclosure () -> NIODeadline) -> TimerAction {
        requestStarted == nil ? start(now: now()) : .nothing
    }

    /// A request's end was decoded: it is complete and awaits its response.
    mutating func requestEnded() {
        requestStarted = nil
        unanswered += 1
        requestEndedThisRead = true
    }

    /// A socket read has been passed on in full.
    mutating func readCompleted(now: @autoclosure () -> NIODeadline) -> TimerAction {
        // Bytes arrived but made no whole request part: the start of a head the decoder is still collecting.
        // After a request's end in the same read, the leftover (if any) starts its clock on the next read.
        let action = requestStarted == nil && !requestEndedThisRead ? start(now: now()) : .nothing
        requestEndedThisRead = false
        return action
    }

    /// The end of a response went out.
    mutating func responseEnded(now: @autoclosure () -> NIODeadline) {
        if unanswered > 0 {
            unanswered -= 1
            // A request pipelined behind this response waited on the server: its clock starts now.
            if unanswered == 0, requestStarted != nil { requestStarted = now() }
        } else {
            answeredEarly = true
        }
    }

    /// The timer went off on an open connection.
    mutating func timerFired(now: NIODeadline) -> TimerAction {
        timerArmed = false
        guard let started = requestStarted else { return .nothing }
        if unanswered > 0 {
            // Pipelined behind a request still being answered: its clock restarts when that response is out.
            return arm(at: now + deadline)
        }
        if now < started + deadline {
            // The request the timer was armed for has ended; this is a later one (or one that waited its turn).
            return arm(at: started + deadline)
        }
        requestStarted = nil
        expired = true
        return .expire(answeredEarly: answeredEarly)
    }

    /// The timer was cancelled, or went off on a connection already closed.
    mutating func timerStopped() {
        timerArmed = false
    }

    private mutating func start(now: NIODeadline) -> TimerAction {
        requestStarted = now
        return timerArmed ? .nothing : arm(at: now + deadline)
    }

    private mutating func arm(at time: NIODeadline) -> TimerAction {
        timerArmed = true
        return .arm(at: time)
    }
}
