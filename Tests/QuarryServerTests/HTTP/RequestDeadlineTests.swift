import NIOCore
import NIOEmbedded
import QuarryAPI
import QuarryTestSupport
import Testing
@testable import QuarryServer

/// `request_timeout_seconds` and `max_header_bytes` on the real pipeline, with the EmbeddedChannel's virtual
/// clock: a request trickled in slowly gets 408 however often bytes arrive, complete requests never do.
@Suite("HTTP pipeline: request deadline and head size")
struct RequestDeadlineTests {
    private func server(requestTimeout: Int = 10, recorder: FakeRecorder = FakeRecorder(),
                        manual: ManualExecutor? = nil) throws -> EmbeddedServer {
        var configuration = ServerConfiguration(socketPath: "/unused")
        configuration.requestTimeoutSeconds = requestTimeout
        return try EmbeddedServer(configuration: configuration, recorder: recorder, manual: manual)
    }

    private func advance(_ server: EmbeddedServer, seconds: Double) {
        server.channel.embeddedEventLoop.advanceTime(by: .milliseconds(Int64(seconds * 1000)))
    }

    private func expectTimedOut(_ responses: [RawHTTPResponse], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(responses.map(\.status) == [408], sourceLocation: sourceLocation)
        #expect(responses.first?.errorCode == "request_timeout", sourceLocation: sourceLocation)
        #expect(responses.first?.errorMessage?.contains("10 seconds") == true, sourceLocation: sourceLocation)
        #expect(responses.first?.header("connection") == "close", sourceLocation: sourceLocation)
        #expect(responses.first?.header("content-type")?.hasPrefix("application/json") == true,
                sourceLocation: sourceLocation)
    }

    @Test func aHeadTrickledInGets408AtTheDeadlineOfItsFirstByte() throws {
        let server = try server()
        let head = Array(String.request("GET", "/search?q=slow").utf8)
        // One byte every 0.5 s: never idle, never complete in time.
        for byte in head.prefix(19) {
            try server.channel.writeInbound(ByteBuffer(bytes: [byte]))
            advance(server, seconds: 0.5)
        }
        #expect(try server.responses().isEmpty, "9.5 s after the first byte: still waiting")
        #expect(server.isOpen)
        advance(server, seconds: 0.5)
        expectTimedOut(try server.responses())
        #expect(!server.isOpen)
        #expect(server.recorder.searches.isEmpty)
    }

    @Test func aStalledBodyGets408() throws {
        let server = try server()
        try server.send("POST /search HTTP/1.1\r\nHost: q\r\nContent-Length: 100\r\n\r\n{\"q\":")
        advance(server, seconds: 9.9)
        #expect(try server.responses().isEmpty)
        advance(server, seconds: 0.1)
        expectTimedOut(try server.responses())
        #expect(!server.isOpen)
    }

    @Test func completeRequestsAndIdleKeepAliveNeverTimeOut() throws {
        let server = try server()
        for _ in 0..<3 {
            #expect(try server.get("/health").status == 200)
            advance(server, seconds: 25)  // idle between requests: the idle timeout's business (60 s), not this
        }
        #expect(server.isOpen)
        #expect(try server.responses().isEmpty)
    }

    @Test func eachRequestHasItsOwnDeadline() throws {
        let server = try server()
        // The first request starts the clock at 0 s and ends at 5 s.
        try server.send("GET /health HTTP/1.1\r\n")
        advance(server, seconds: 5)
        try server.send("Host: q\r\n\r\n")
        #expect(try server.responses().map(\.status) == [200])
        // The second starts at 8 s: the timer armed for the first (due at 10 s) must not cut it.
        advance(server, seconds: 3)
        try server.send("GET /health HTTP/1.1\r\n")
        advance(server, seconds: 9.9)
        #expect(try server.responses().isEmpty)
        #expect(server.isOpen)
        advance(server, seconds: 0.1)
        expectTimedOut(try server.responses())
    }

    @Test func timeSpentAnsweringAnEarlierPipelinedRequestIsNotCounted() throws {
        let recorder = FakeRecorder()
        let manual = ManualExecutor(recorder: recorder)
        let server = try server(recorder: recorder, manual: manual)
        // A complete request, then the head and half the body of a second one, in one write.
        try server.send(.request("GET", "/search?q=first")
                        + "POST /search HTTP/1.1\r\nHost: q\r\nContent-Length: 20\r\n\r\n{\"q\":")
        #expect(manual.pendingCount == 1)
        advance(server, seconds: 15)  // the first is still being answered: the second waits its turn
        #expect(try server.responses().isEmpty)
        #expect(server.isOpen)
        manual.runNext()
        #expect(try server.responses().map(\.status) == [200])
        advance(server, seconds: 9.9)
        #expect(try server.responses().isEmpty)
        advance(server, seconds: 0.1)
        expectTimedOut(try server.responses())
        #expect(!server.isOpen)
    }

    @Test func aHeadOverMaxHeaderBytesGets431AndCloses() throws {
        var configuration = ServerConfiguration(socketPath: "/unused")
        configuration.maxHeaderBytes = 2048
        let server = try EmbeddedServer(configuration: configuration)
        // Within the limit (request line + headers ≈ 1.5 KB): served.
        #expect(try server.get("/search?q=" + String(repeating: "a", count: 1500)).status == 200)
        // A long query string, then many headers: each over 2 KB in total.
        for raw in [String.request("GET", "/search?q=" + String(repeating: "a", count: 3000)),
                    String.request("GET", "/health", headers: (0..<100).map { "X-Filler-\($0): 0123456789" })] {
            let server = try EmbeddedServer(configuration: configuration)
            let response = try server.roundTrip(raw)
            #expect(response.status == 431)
            #expect(response.errorCode == "headers_too_large")
            #expect(!server.isOpen)
            #expect(server.recorder.searches.isEmpty)
        }
    }
}
