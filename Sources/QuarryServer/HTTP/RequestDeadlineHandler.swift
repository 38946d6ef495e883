import Logging
import NIOCore
import NIOHTTP1
import QuarryAPI

/// `request_timeout_seconds`: a request whose head and body have not fully arrived within the deadline of its
/// first bytes gets 408 and the connection is closed. The idle timeout alone cannot stop a client that trickles
/// a byte every few seconds (slowloris); this can.
///
/// Sits between the HTTP decoder and `HTTPServerPipelineHandler`, so it sees every decoded request part, and
/// every socket read as `channelReadComplete` even when the decoder is still waiting for the rest of a head.
/// It writes its 408 straight to the encoder: the pipeline handler has no request to pair it with when the head
/// never completed.
///
/// Cheap on the hot path: a request costs one clock read; the one timer per connection is re-armed only when it
/// fires (at most once per deadline on a busy connection), never scheduled and cancelled per request.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: ServerMetrics
    private let logger: Logger
    private var state: RequestDeadlineState
    private var timer: Scheduled<Void>?

    private var deadline: TimeAmount { state.deadline }

    init(deadline: TimeAmount, metrics: ServerMetrics, logger: Logger) {
        self.state = RequestDeadlineState(deadline: deadline)
        self.metrics = metrics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !state.expired else { return }
        switch unwrapInboundIn(data) {
        case .head:
            perform(state.requestHeadReceived(now: context.eventLoop.now), context: context)
        case .body:
            break
        case .end:
            state.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        perform(state.readCompleted(now: context.eventLoop.now), context: context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Closing on a half-received request makes the decoder report a truncated message: already answered.
        guard !state.expired else { return }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            state.responseEnded(now: context.eventLoop.now)
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func perform(_ action: RequestDeadlineState.TimerAction, context: ChannelHandlerContext) {
        switch action {
        case .arm(let time):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(deadline: time) {
                let (handler, context) = loopBound.value
                handler.timerFired(context: context)
            }
        case .expire(let answeredEarly):
            expire(answeredEarly: answeredEarly, context: context)
        case .nothing:
            break
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        state.timerStopped()
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard context.channel.isActive else { return state.timerStopped() }
        perform(state.timerFired(now: context.eventLoop.now), context: context)
    }

    /// 408 with the usual JSON error, then close. After an early answer, only the close.
    private func expire(answeredEarly: Bool, context: ChannelHandlerContext) {
        logger.debug("request not complete within request_timeout_seconds; closing",
                     metadata: ["request_timeout_seconds": "\(deadline.nanoseconds / 1_000_000_000)"])
        guard !answeredEarly else {
            context.close(promise: nil)
            return
        }
        let error = APIError.requestTimeout(seconds: Int(deadline.nanoseconds / 1_000_000_000))
        let response = ServerResponse.error(error)
        var headers = response.headers
        headers.add(name: "content-length", value: String(response.body.readableBytes))
        headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: error.httpStatus, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        metrics.record(endpoint: "rejected", status: error.httpStatus, nanoseconds: 0)
    }
}
