import Logging
import NIOCore
import NIOHTTP1
import QuarryAPI

/// The last handler of a connection: assembles one request (enforcing the body limit), routes it, runs it
/// (on the event loop or a worker) and writes the response.
///
/// `HTTPServerPipelineHandler` in front of it guarantees one request at a time even when the client
/// pipelines, and closes the connection on quiesce (graceful shutdown) once the in-flight response is out.
final class HTTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Head received, body being accumulated.
        case receiving(HTTPRequestHead, body: ByteBuffer?)
        /// Handler running; the response has not been written yet.
        case responding
        /// Answered a malformed request; the connection is closing.
        case closing
        /// Answered 413 before the body ended and half-closed our side: the client still gets to finish sending
        /// (so it reads our answer instead of a reset). Up to `allowance` more bytes are read and dropped.
        case draining(allowance: Int)
    }

    /// How much of a rejected body we read and drop before cutting the connection, in `max_body_bytes`.
    private static let drainFactor = 8

    private var state = State.idle
    private let services: RequestServices

    init(services: RequestServices) {
        self.services = services
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            receiveHead(head, context: context)
        case .body(var chunk):
            switch state {
            case .receiving(let head, var body):
                let size = (body?.readableBytes ?? 0) + chunk.readableBytes
                guard size <= services.maxBodyBytes else { return rejectBody(head: head, context: context) }
                state = .responding  // drop the state's reference so the append below does not copy
                body.setOrWriteBuffer(&chunk)
                state = .receiving(head, body: body)
            case .draining(let allowance):
                let left = allowance - chunk.readableBytes
                state = .draining(allowance: left)
                if left < 0 { context.close(promise: nil) }
            case .idle, .responding, .closing:
                break
            }
        case .end:
            switch state {
            case .receiving(let head, let body):
                state = .responding
                dispatch(head, body: body, context: context)
            case .draining:
                context.close(promise: nil)
            case .idle, .responding, .closing:
                break
            }
        }
    }

    /// 413, then stop writing; the rest of the body is drained (bounded) so the client can read the answer.
    private func rejectBody(head: HTTPRequestHead, context: ChannelHandlerContext) {
        let error = APIError.payloadTooLarge(limit: services.maxBodyBytes)
        state = .draining(allowance: services.maxBodyBytes * Self.drainFactor)
        write(.error(error), head: head, close: true, context: context, closeMode: .output)
        record(error.httpStatus, head: head, endpoint: "rejected", started: nil)
    }

    private func receiveHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        // Refuse a declared oversized body before reading any of it.
        if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > services.maxBodyBytes {
            return rejectBody(head: head, context: context)
        }
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))),
                                  promise: nil)
        }
        state = .receiving(head, body: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The pipeline handler delivers parser errors only when no response is pending: answer 400 (431 for a
        // head over max_header_bytes), then close.
        if let error = error as? HTTPParserError, !isAnswering {
            services.logger.debug("malformed HTTP request", metadata: ["error": "\(error)"])
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "-")
            answerEarly(.malformedRequest(error), head: head, context: context)
        } else {
            services.logger.debug("closing connection after error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    /// True once this request has a response coming (or already sent).
    private var isAnswering: Bool {
        switch state {
        case .idle, .receiving: false
        case .responding, .closing, .draining: true
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case IdleStateHandler.IdleStateEvent.all = event {
            // A slow engine call is not idleness; a client stalled mid-request or between requests is.
            if case .responding = state { return }
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - Dispatch

    private func dispatch(_ head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) {
        let started = NIODeadline.now()
        let (path, queryString) = head.pathAndQuery
        let query: QueryParameters
        do {
            query = try QueryParameters(parsing: queryString)
        } catch {
            return finish(.error(error), head: head, endpoint: "invalid", started: started, context: context)
        }

        switch services.router.resolve(method: head.method, path: path) {
        case .notFound:
            finish(.error(.routeNotFound(path)), head: head, endpoint: "unmatched", started: started, context: context)
        case .methodNotAllowed(let allowed):
            var response = ServerResponse.error(.methodNotAllowed(head.method, allowed: allowed))
            response.headers.add(name: "allow", value: allowed.map(\.rawValue).joined(separator: ", "))
            finish(response, head: head, endpoint: "unmatched", started: started, context: context)
        case .matched(let route, let parameters):
            let request = ServerRequest(method: head.method, path: path, query: query, pathParameters: parameters,
                                        headers: head.headers, body: body)
            switch route.action {
            case .onEventLoop(let handler):
                finish(handler(request), head: head, endpoint: route.endpoint, started: started, context: context)
            case .onWorker(let handler):
                let answer = services.executor.execute(request, handler: handler, on: context.eventLoop)
                answer.assumeIsolated().whenComplete { result in
                    let response = (try? result.get()) ?? .error(.shuttingDown())
                    self.finish(response, head: head, endpoint: route.endpoint, started: started, context: context)
                }
            }
        }
    }

    /// Answers a request that cannot be read any further, then closes.
    private func answerEarly(_ error: APIError, head: HTTPRequestHead, context: ChannelHandlerContext) {
        state = .closing
        write(.error(error), head: head, close: true, context: context)
        record(error.httpStatus, head: head, endpoint: "rejected", started: nil)
    }

    private func finish(_ response: ServerResponse, head: HTTPRequestHead, endpoint: String, started: NIODeadline,
                        context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        // Back to idle *before* writing: the pipeline handler may hand us the next pipelined request at once.
        state = .idle
        write(response, head: head, close: !head.isKeepAlive, context: context)
        record(response.status, head: head, endpoint: endpoint, started: started)
    }

    /// Writes a whole response. With `close`, closes afterwards: fully, or only our side (`closeMode: .output`,
    /// falling back to a full close where half-closure is unsupported).
    private func write(_ response: ServerResponse, head: HTTPRequestHead, close: Bool, context: ChannelHandlerContext,
                       closeMode: CloseMode = .all) {
        var headers = response.headers
        headers.replaceOrAdd(name: "content-length", value: String(response.body.readableBytes))
        if close {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if head.version.major == 1 && head.version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        let version = head.version.major == 1 && head.version.minor == 0 ? head.version : .http1_1
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            written.assumeIsolated().whenComplete { _ in
                context.close(mode: closeMode).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
            }
        }
    }

    private func record(_ status: HTTPResponseStatus, head: HTTPRequestHead, endpoint: String, started: NIODeadline?) {
        let nanoseconds = started.map { (NIODeadline.now() - $0).nanoseconds } ?? 0
        services.metrics.record(endpoint: endpoint, status: status, nanoseconds: nanoseconds)
        let logger = services.logger
        if status.code >= 500 {
            logger.error("\(head.method.rawValue) \(head.uri) \(status.code) \(nanoseconds / 1000)µs")
        } else {
            logger.debug("\(head.method.rawValue) \(head.uri) \(status.code) \(nanoseconds / 1000)µs")
        }
    }
}
