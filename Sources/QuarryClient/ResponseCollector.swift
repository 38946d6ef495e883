import NIOCore
import NIOHTTP1

/// Gathers the parts of each response and completes the waiting request's promise, in order.
final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var waiting: [EventLoopPromise<HTTPResult>] = []
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    func enqueue(_ promise: EventLoopPromise<HTTPResult>) { waiting.append(promise) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, !waiting.isEmpty else { return }
            let result = HTTPResult(status: Int(head.status.code),
                                    headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
            self.head = nil
            waiting.removeFirst().succeed(result)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(QuarryClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: Error) {
        let pending = waiting
        waiting = []
        for promise in pending { promise.fail(error) }
    }
}
