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

    private let deadline: TimeAmount
    private let metrics: ServerMetrics
    private let logger: Logger

    /// When the first bytes of the request still being received arrived; nil between requests.
    private var requestStarted: NIODeadline?
    private var timer: Scheduled<Void>?
    /// Requests received in full whose response has not been written yet (pipelining).
    private var unanswered = 0
    /// The server answered before a request ended (413, 400): the connection is closing anyway.
    private var answeredEarly = false
    /// A request ended during the current read: bytes left over are the next request's, or nothing.
    private var requestEndedThisRead = false
    /// 408 sent (or the connection cut): what still comes in is dropped.
    private var expired = false

    init(deadline: TimeAmount, metrics: ServerMetrics, logger: Logger) {
        self.deadline = deadline
        self.metrics = metrics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !expired else { return }
        switch unwrapInboundIn(data) {
        case .head:
            if requestStarted == nil { start(context: context) }
        case .body:
            break
        case .end:
            requestStarted = nil
            unanswered += 1
            requestEndedThisRead = true
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes arrived but made no whole request part: the start of a head the decoder is still collecting.
        // After a request's end in the same read, the leftover (if any) starts its clock on the next read.
        if requestStarted == nil && !requestEndedThisRead { start(context: context) }
        requestEndedThisRead = false
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Closing on a half-received request makes the decoder report a truncated message: already answered.
        guard !expired else { return }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            if unanswered > 0 {
                unanswered -= 1
                // A request pipelined behind this response waited on the server: its clock starts now.
                if unanswered == 0, requestStarted != nil { requestStarted = context.eventLoop.now }
            } else {
                answeredEarly = true
            }
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

    private func start(context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        requestStarted = now
        if timer == nil { arm(at: now + deadline, context: context) }
    }

    private func arm(at time: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: time) {
            let (handler, context) = loopBound.value
            handler.timerFired(context: context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard let started = requestStarted, context.channel.isActive else { return }
        let now = context.eventLoop.now
        if unanswered > 0 {
            // Pipelined behind a request still being answered: its clock restarts when that response is out.
            return arm(at: now + deadline, context: context)
        }
        if now < started + deadline {
            // The request the timer was armed for has ended; this is a later one (or one that waited its turn).
            return arm(at: started + deadline, context: context)
        }
        expire(context: context)
    }

    /// 408 with the usual JSON error, then close. After an early answer, only the close.
    private func expire(context: ChannelHandlerContext) {
        requestStarted = nil
        expired = true
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
