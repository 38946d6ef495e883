import Logging
import NIOCore
import NIOEmbedded
import QuarryAPI
import QuarryTestSupport
@testable import QuarryServer

/// The real per-connection pipeline on an `EmbeddedChannel`: no sockets, no threads, no time.
/// Engine calls run inline on the test's thread (`InlineRequestExecutor`).
final class EmbeddedServer {
    let channel = EmbeddedChannel()
    let recorder: FakeRecorder
    let metrics = ServerMetrics()

    /// - Parameter manual: when given, engine calls wait in it until the test runs them.
    init(configuration: ServerConfiguration = ServerConfiguration(socketPath: "/unused"),
         recorder: FakeRecorder = FakeRecorder(), manual: ManualExecutor? = nil) throws {
        self.recorder = recorder
        let services = RequestServices(
            configuration: configuration,
            executor: manual ?? InlineRequestExecutor(makeBackend: FakeBackend.factory(recorder)),
            metrics: metrics,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try ChannelSetup.configure(channel, services: services, limits: ConnectionLimits(configuration))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/embedded.sock")).wait()
    }

    deinit {
        _ = try? channel.finish()
    }

    func send(_ raw: String) throws {
        try channel.writeInbound(ByteBuffer(string: raw))
    }

    /// Everything written so far, parsed.
    func responses() throws -> [RawHTTPResponse] {
        var bytes: [UInt8] = []
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data {
                bytes += buffer.readableBytesView
            }
        }
        return RawHTTPResponse.parseAll(bytes)
    }

    /// Sends one request and returns its single response.
    func roundTrip(_ raw: String) throws -> RawHTTPResponse {
        try send(raw)
        let responses = try responses()
        guard responses.count == 1, let response = responses.first else {
            throw UnexpectedResponses(count: responses.count)
        }
        return response
    }

    func get(_ target: String) throws -> RawHTTPResponse {
        try roundTrip(.request("GET", target))
    }

    func post(_ target: String, body: String) throws -> RawHTTPResponse {
        try roundTrip(.request("POST", target, body: body))
    }

    var isOpen: Bool { channel.isActive }
}

struct UnexpectedResponses: Error {
    var count: Int
}

/// Holds engine calls until the test says so: a request "in flight" without threads or time.
/// Used on the test's thread only (EmbeddedChannel is single-threaded), hence `@unchecked Sendable`.
final class ManualExecutor: RequestExecutor, @unchecked Sendable {
    private var pending: [(ServerRequest, WorkerHandler, EventLoopPromise<ServerResponse>)] = []
    private let slot: WorkerSlot

    init(recorder: FakeRecorder) {
        slot = WorkerSlot(makeBackend: FakeBackend.factory(recorder))
    }

    var pendingCount: Int { pending.count }

    func execute(_ request: ServerRequest, handler: @escaping WorkerHandler,
                 on eventLoop: any EventLoop) -> EventLoopFuture<ServerResponse> {
        let promise = eventLoop.makePromise(of: ServerResponse.self)
        pending.append((request, handler, promise))
        return promise.futureResult
    }

    /// Answers the oldest held request.
    func runNext() {
        guard !pending.isEmpty else { return }
        let (request, handler, promise) = pending.removeFirst()
        promise.succeed(slot.respond(to: request, with: handler))
    }

    func shutdown() async {}
}
