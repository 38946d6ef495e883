#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

extension QuarryClientError.ConnectFailure {
    init(errno code: Int32, path: String) {
        switch code {
        case ENOENT: self = .noSocket
        case EACCES, EPERM: self = .permissionDenied
        case ECONNREFUSED:
            var info = stat()
            let isSocket = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
            self = isSocket ? .refused : .notASocket
        case ENOTSOCK: self = .notASocket
        default: self = .other(String(cString: strerror(code)))
        }
    }
}

/// One keep-alive HTTP/1.1 connection to quarryd over its Unix socket.
public final class QuarryConnection: Sendable {
    private let channel: Channel
    private let collector: NIOLoopBound<ResponseCollector>

    public static func connect(socketPath: String, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws -> QuarryConnection
    {
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                    }
                }
                .connect(unixDomainSocketPath: socketPath).get()
            let collector = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseCollector.self),
                             eventLoop: channel.eventLoop)
            }.get()
            return QuarryConnection(channel: channel, collector: collector)
        } catch let error as IOError {
            throw QuarryClientError.cannotConnect(socket: socketPath, .init(errno: error.errnoCode, path: socketPath))
        } catch {
            throw QuarryClientError.cannotConnect(socket: socketPath, .other("\(error)"))
        }
    }

    private init(channel: Channel, collector: NIOLoopBound<ResponseCollector>) {
        self.channel = channel
        self.collector = collector
    }

    /// Sends one request and waits for its whole response. `target` is the path and query, e.g. "/search?q=x".
    public func request(_ method: HTTPMethod = .GET, _ target: String, body: [UInt8]? = nil,
                        contentType: String = "application/json") async throws -> HTTPResult
    {
        let channel = self.channel
        let collector = self.collector
        return try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<HTTPResult> in
            let promise = channel.eventLoop.makePromise(of: HTTPResult.self)
            collector.value.enqueue(promise)
            var headers = HTTPHeaders([("Host", "quarry"), ("User-Agent", "quarry")])
            if let body {
                headers.add(name: "Content-Type", value: contentType)
                headers.add(name: "Content-Length", value: String(body.count))
            }
            let head = HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: headers)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { promise.fail($0) }
            return promise.futureResult
        }.get()
    }

    public func close() async {
        try? await channel.close()
    }

    /// Connects, runs `body`, and always closes.
    public static func with<T: Sendable>(socketPath: String, _ body: (QuarryConnection) async throws -> T)
        async throws -> T
    {
        let connection = try await connect(socketPath: socketPath)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
