// nio-handoff: the cost of quarryd's design on swift-nio, with nothing of quarryd in it.
//
// The twin of ref-handoff.cpp (the same design in raw C++ over epoll): an HTTP/1.1 keep-alive server on a
// Unix socket, built as quarryd is (NIOHTTP1's configureHTTPServerPipeline, one handler at the end), that
// answers every request after WORK microseconds of busy CPU work (a stand-in for a search) with the same fixed
// ~2.5 kB JSON body. --mode handoff runs the work on a worker thread as quarryd does: one hop to the worker
// (which polls for --spin-us before it sleeps, like worker_spin_microseconds), the promise completed there,
// its callback on the event loop, which writes the response (head, body, end). --mode inline works on the
// event loop.
//
// Driven by ref-load, `p50 − WORK` is what swift-nio's HTTP pipeline and the two hops cost on this machine
// before any of quarryd's own code: the line between "quarryd's overhead" and "the stack's overhead".
//
//   nio-handoff SOCKET [--mode inline|handoff] [--work-us 500] [--workers 2] [--spin-us 250]
//               [--pipelining true|false] [--raw-write false|true] [--touch-mb 0]
//
// --pipelining false leaves out HTTPServerPipelineHandler; --raw-write true keeps only the request decoder and
// writes each response as one pre-encoded buffer (no HTTP encoder): the least swift-nio can do per request.
// --touch-mb N makes the busy work stream through N MB of memory, as a search streams postings through the
// caches, so the HTTP path after it runs on cold caches as quarryd's does after a long search.
//
// Runs until SIGINT/SIGTERM.

#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Memory the busy work writes through (--touch-mb), one byte per cache line, so that it leaves the caches cold.
final class Scratch: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
    private let offset = Atomic<Int>(0)

    init(megabytes: Int) {
        bytes = .allocate(byteCount: megabytes << 20, alignment: 64)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// Touches the next `lines` cache lines (wrapping around); racing workers only blur which lines.
    func touch(lines: Int) {
        var at = offset.load(ordering: .relaxed)
        for _ in 0..<lines {
            bytes[at] &+= 1
            at += 64
            if at >= bytes.count { at = 0 }
        }
        offset.store(at, ordering: .relaxed)
    }
}

func burn(microseconds: Int64, scratch: Scratch?) {
    let until = NIODeadline.now() + .microseconds(microseconds)
    while NIODeadline.now() < until { scratch?.touch(lines: 256) }
}

func makeBody(workMicroseconds: Int64) -> ByteBuffer {
    var body = "{\"tookMicroseconds\":\(workMicroseconds),\"hits\":["
    for index in 0..<10 {
        if index > 0 { body += "," }
        body += "{\"rank\":\(index + 1),\"id\":\"doc-\(index)\",\"title\":\""
            + String(repeating: "x", count: 180) + "\",\"score\":12.5}"
    }
    body += "]}"
    return ByteBuffer(string: body)
}

/// Worker threads taking jobs from one queue; an idle worker polls `pending` for `spin` before it sleeps.
final class WorkerPool: @unchecked Sendable {
    private struct Job {
        var work: Int64
        var promise: EventLoopPromise<Void>
    }

    private let condition = NSCondition()
    private var queue: [Job] = []  // guarded by `condition`
    private let pending = Atomic<Int>(0)
    private let spin: Int64
    private let scratch: Scratch?

    init(threads: Int, spin: Int64, scratch: Scratch?) {
        self.spin = spin
        self.scratch = scratch
        for _ in 0..<threads {
            Thread { self.run() }.start()
        }
    }

    func submit(work: Int64, promise: EventLoopPromise<Void>) {
        condition.lock()
        queue.append(Job(work: work, promise: promise))
        pending.add(1, ordering: .releasing)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            let until = NIODeadline.now() + .microseconds(spin)
            while pending.load(ordering: .acquiring) == 0 && NIODeadline.now() < until { sched_yield() }
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let job = queue.removeFirst()
            pending.subtract(1, ordering: .relaxed)
            condition.unlock()
            burn(microseconds: job.work, scratch: scratch)
            job.promise.succeed()
        }
    }
}

final class Handler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let pool: WorkerPool?
    private let work: Int64
    private let body: ByteBuffer
    /// With --raw-write: the whole response, pre-encoded, written below the HTTP encoder as one buffer.
    private let rawResponse: ByteBuffer?
    private let scratch: Scratch?
    private var keepAlive = true

    init(pool: WorkerPool?, work: Int64, body: ByteBuffer, rawResponse: ByteBuffer?, scratch: Scratch?) {
        self.pool = pool
        self.scratch = scratch
        self.work = work
        self.body = body
        self.rawResponse = rawResponse
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            guard let pool else {
                burn(microseconds: work, scratch: scratch)
                return respond(context: context)
            }
            let promise = context.eventLoop.makePromise(of: Void.self)
            pool.submit(work: work, promise: promise)
            promise.futureResult.assumeIsolated().whenSuccess { self.respond(context: context) }
        }
    }

    private func respond(context: ChannelHandlerContext) {
        if let rawResponse {
            return context.writeAndFlush(NIOAny(rawResponse), promise: nil)
        }
        var headers = HTTPHeaders([("content-type", "application/json")])
        headers.add(name: "content-length", value: String(body.readableBytes))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

// MARK: - Command line

var arguments = Array(CommandLine.arguments.dropFirst())
guard let socketPath = arguments.first, socketPath != "--help" else {
    print("usage: nio-handoff SOCKET [--mode inline|handoff] [--work-us 500] [--workers 2] [--spin-us 250] "
          + "[--pipelining true|false] [--raw-write false|true] [--touch-mb 0]")
    exit(arguments.isEmpty ? 2 : 0)
}
var mode = "handoff"
var work: Int64 = 500
var workers = 2
var spin: Int64 = 250
var pipelining = true
var rawWrite = false
var touchMegabytes = 0
var index = 1
while index + 1 < arguments.count {
    let value = arguments[index + 1]
    switch arguments[index] {
    case "--mode": mode = value
    case "--work-us": work = Int64(value) ?? work
    case "--workers": workers = Int(value) ?? workers
    case "--spin-us": spin = Int64(value) ?? spin
    case "--pipelining": pipelining = value != "false"
    case "--raw-write": rawWrite = value == "true"
    case "--touch-mb": touchMegabytes = max(0, Int(value) ?? touchMegabytes)
    default:
        print("nio-handoff: unknown option \(arguments[index])")
        exit(2)
    }
    index += 2
}
if index < arguments.count {
    print("nio-handoff: \(arguments[index]) needs a value")
    exit(2)
}
guard mode == "inline" || mode == "handoff" else {
    print("nio-handoff: --mode is inline or handoff")
    exit(2)
}

unlink(socketPath)
let scratch = touchMegabytes > 0 ? Scratch(megabytes: touchMegabytes) : nil
let pool = mode == "handoff" ? WorkerPool(threads: workers, spin: spin, scratch: scratch) : nil
let body = makeBody(workMicroseconds: work)
// The bytes HTTPResponseEncoder would write for the same response.
let rawResponse: ByteBuffer? = rawWrite ? {
    var bytes = ByteBuffer(string: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.readableBytes)\r\n\r\n")
    var copy = body
    bytes.writeBuffer(&copy)
    return bytes
}() : nil
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let channel = try ServerBootstrap(group: group)
    // The settings captured by value: the initializer runs on the event loop, not on the main actor.
    .childChannelInitializer { [rawWrite, pipelining, work, pool, body, rawResponse, scratch] channel in
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if rawWrite {
                // Only the request decoder: responses go out as bytes, through no outbound handler.
                try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
            } else {
                try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: pipelining, withErrorHandling: false)
            }
            try pipeline.addHandler(Handler(pool: pool, work: work, body: body, rawResponse: rawResponse, scratch: scratch))
        }
    }
    .bind(unixDomainSocketPath: socketPath)
    .wait()

signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let signalSources = [SIGTERM, SIGINT].map { number in
    let source = DispatchSource.makeSignalSource(signal: number)
    // @Sendable, with the channel captured: a closure formed in top-level code is otherwise main-actor
    // isolated, and Dispatch runs it on one of its own threads (Swift 6 traps on that: SIGILL at SIGTERM).
    source.setEventHandler { @Sendable [channel] in channel.close(promise: nil) }
    source.resume()
    return source
}
try channel.closeFuture.wait()
unlink(socketPath)
try group.syncShutdownGracefully()
