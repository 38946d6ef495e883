import Foundation
import NIOCore
import NIOEmbedded
import QuarryAPI
import QuarryTestSupport
import Testing
@testable import QuarryServer

/// The whole per-connection pipeline (codec, pipelining, our handler) on an EmbeddedChannel,
/// the way swift-nio tests its own HTTP handlers.
@Suite("HTTP pipeline")
struct HTTPHandlerTests {
    @Test func getSearchReturnsTheBackendsHits() throws {
        let server = try EmbeddedServer()
        let response = try server.get("/search?q=gaza&limit=1&category=world")
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json; charset=utf-8")
        let body = try response.decode(SearchResponse.self)
        #expect(body.query == "gaza")
        #expect(body.hits.map(\.id) == [FakeBackend.articleID])
        #expect(body.hits.first?.date?.iso == "2023-10-24")
        #expect(response.bodyText.contains(#""world/000_x.txt""#), "slashes are not escaped")
        #expect(server.recorder.searches == [SearchRequest(q: "gaza", limit: 1, categories: ["world"])])
        #expect(server.isOpen)
    }

    @Test func postSearchDecodesTheBody() throws {
        let server = try EmbeddedServer()
        let response = try server.post("/search", body: #"{"q":"gaza","sort":"-date","limit":2}"#)
        #expect(response.status == 200)
        #expect(try response.decode(SearchResponse.self).hits.count == 2)
        #expect(server.recorder.searches.first?.sort == .dateDescending)
    }

    @Test func badJSONIs400AndTheConnectionStaysUsable() throws {
        let server = try EmbeddedServer()
        let bad = try server.post("/search", body: "{nope")
        #expect(bad.status == 400)
        #expect(bad.errorCode == "bad_json")
        #expect(server.isOpen)
        #expect(try server.get("/search?q=after").status == 200)
    }

    @Test func badParameterIs400WithItsName() throws {
        let server = try EmbeddedServer()
        let response = try server.get("/search?q=x&from=someday")
        #expect(response.status == 400)
        #expect(response.errorCode == "bad_parameter")
        #expect(response.errorMessage?.hasPrefix("from:") == true)
    }

    @Test func declaredOversizedBodyIs413AndCloses() throws {
        var configuration = ServerConfiguration(socketPath: "/unused")
        configuration.maxBodyBytes = 16
        let server = try EmbeddedServer(configuration: configuration)
        try server.send(.request("POST", "/search", body: #"{"q":"far too long a body"}"#))
        let responses = try server.responses()
        #expect(responses.map(\.status) == [413])
        #expect(responses.first?.errorCode == "payload_too_large")
        #expect(responses.first?.header("connection") == "close")
        #expect(!server.isOpen)
        #expect(server.recorder.searches.isEmpty)
    }

    @Test func chunkedOversizedBodyIs413AndCloses() throws {
        var configuration = ServerConfiguration(socketPath: "/unused")
        configuration.maxBodyBytes = 16
        let server = try EmbeddedServer(configuration: configuration)
        try server.send("POST /search HTTP/1.1\r\nHost: q\r\nTransfer-Encoding: chunked\r\n\r\n")
        try server.send("a\r\n{\"q\":\"abcd\r\n")
        #expect(try server.responses().isEmpty, "10 bytes are within the limit")
        try server.send("a\r\nefghijklmn\r\n")
        let responses = try server.responses()
        #expect(responses.map(\.status) == [413])
        #expect(!server.isOpen)
    }

    @Test func unknownRouteIs404() throws {
        let server = try EmbeddedServer()
        let response = try server.get("/nowhere?q=x")
        #expect(response.status == 404)
        #expect(response.errorCode == "not_found")
        #expect(server.isOpen)
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let server = try EmbeddedServer()
        let response = try server.roundTrip(.request("DELETE", "/search"))
        #expect(response.status == 405)
        #expect(response.header("allow") == "GET, POST")
        #expect(response.errorCode == "method_not_allowed")
        let stats = try server.roundTrip(.request("POST", "/stats", body: "{}"))
        #expect(stats.status == 405)
        #expect(stats.header("allow") == "GET")
    }

    @Test func garbageIs400AndCloses() throws {
        let server = try EmbeddedServer()
        try server.send("\u{01}\u{02} THIS IS NOT HTTP\r\n\r\n")
        let responses = try server.responses()
        #expect(responses.map(\.status) == [400])
        #expect(responses.first?.errorCode == "bad_request")
        #expect(responses.first?.header("connection") == "close")
        #expect(!server.isOpen)
    }

    @Test func garbageAfterAGoodRequestStillAnswersTheGoodOne() throws {
        let server = try EmbeddedServer()
        try server.send(.request("GET", "/search?q=one") + "GARBAGE\r\n\r\n")
        let responses = try server.responses()
        #expect(responses.map(\.status) == [200, 400])
        #expect(!server.isOpen)
    }

    @Test func keepAliveAnswersEveryRequestInOrder() throws {
        let server = try EmbeddedServer()
        #expect(try server.get("/search?q=one").status == 200)
        #expect(try server.get("/stats").status == 200)
        #expect(server.isOpen)
        // Pipelined: three requests in one write, answered in order.
        try server.send(.request("GET", "/search?q=a") + .request("GET", "/nowhere") + .request("GET", "/search?q=b"))
        let responses = try server.responses()
        #expect(responses.map(\.status) == [200, 404, 200])
        #expect(try responses.first?.decode(SearchResponse.self).query == "a")
        #expect(try responses.last?.decode(SearchResponse.self).query == "b")
        #expect(server.isOpen)
    }

    @Test func connectionCloseIsHonoured() throws {
        let server = try EmbeddedServer()
        let response = try server.roundTrip(.request("GET", "/health", headers: ["Connection: close"]))
        #expect(response.status == 200)
        #expect(response.header("connection") == "close")
        #expect(!server.isOpen)
    }

    @Test func http10ClosesUnlessKeepAliveAsked() throws {
        let server = try EmbeddedServer()
        let kept = try server.roundTrip(.request("GET", "/health", headers: ["Connection: keep-alive"], version: "HTTP/1.0"))
        #expect(kept.header("connection") == "keep-alive")
        #expect(server.isOpen)
        _ = try server.roundTrip(.request("GET", "/health", version: "HTTP/1.0"))
        #expect(!server.isOpen)
    }

    @Test func searchFailuresMapToTheirStatus() throws {
        let server = try EmbeddedServer()
        let rejected = try server.get("/search?q=reject")
        #expect(rejected.status == 400)
        #expect(rejected.errorCode == "query_rejected")
        #expect(rejected.errorMessage == "unbalanced quotes")
        let missing = try server.get("/documents/nope")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
    }

    @Test func documentsByIdWithSlashes() throws {
        let server = try EmbeddedServer()
        for path in ["/documents/world/000_x.txt", "/documents/world%2F000_x.txt"] {
            let response = try server.get(path)
            #expect(response.status == 200)
            #expect(try response.decode(StoredArticle.self).id == FakeBackend.articleID)
        }
    }

    @Test func similarHonoursLimit() throws {
        let server = try EmbeddedServer()
        #expect(try server.get("/similar/world/000_x.txt").decode(SearchResponse.self).hits.count == 1)
        #expect(try server.get("/similar/world/000_x.txt?limit=0").decode(SearchResponse.self).hits.isEmpty)
        let bad = try server.get("/similar/world/000_x.txt?limit=abc")
        #expect(bad.status == 400)
        #expect(bad.errorMessage?.hasPrefix("limit:") == true)
        #expect(try server.get("/similar/world/000_x.txt?limit=1001").status == 400)
    }

    @Test func statsAddsUptimeAndQueriesServed() throws {
        let created = ContinuousClock.now
        let server = try EmbeddedServer()
        _ = try server.get("/search?q=a")
        _ = try server.post("/search", body: #"{"q":"b"}"#)
        _ = try server.get("/search?q=reject")  // failed searches are not "served"
        let response = try server.get("/stats")
        #expect(response.status == 200)
        struct Stats: Decodable {
            var documents: Int
            var revision: UInt64
            var uptimeSeconds: Int
            var queriesServed: Int
        }
        let stats = try response.decode(Stats.self)
        #expect(stats.documents == 42)
        #expect(stats.revision == 7)
        #expect(!response.bodyText.contains("\"path\""), "no server path in /stats: \(response.bodyText)")
        #expect(stats.queriesServed == 2)

        // Uptime counts whole seconds from the server's start: it grows across a sleep of more than a second,
        // and never exceeds the time since the server was created.
        Thread.sleep(forTimeInterval: 1.2)
        let later = try server.get("/stats").decode(Stats.self)
        let elapsed = Int((ContinuousClock.now - created).components.seconds)
        #expect(later.uptimeSeconds >= stats.uptimeSeconds + 1, "\(stats.uptimeSeconds) s, then \(later.uptimeSeconds) s")
        #expect(later.uptimeSeconds <= elapsed, "uptime \(later.uptimeSeconds) s, but created \(elapsed) s ago")
        #expect(later.queriesServed == 2, "/stats is not a query")
    }

    @Test func healthFollowsTheIndex() throws {
        let server = try EmbeddedServer()
        let healthy = try server.get("/health")
        #expect(healthy.status == 200)
        #expect(healthy.bodyText == #"{"status":"ok"}"#)
        server.recorder.failStats(true)
        let unhealthy = try server.get("/health")
        #expect(unhealthy.status == 503)
        #expect(unhealthy.errorCode == "index_unavailable")
        server.recorder.failStats(false)
        #expect(try server.get("/health").status == 200)
    }

    @Test func backendCreationFailureIs503ThenRetried() throws {
        let server = try EmbeddedServer(recorder: FakeRecorder(creationFailures: 2))
        for _ in 0..<2 {
            let response = try server.get("/search?q=x")
            #expect(response.status == 503)
            #expect(response.errorCode == "index_unavailable")
        }
        #expect(try server.get("/search?q=x").status == 200)
        #expect(try server.get("/search?q=y").status == 200)
        #expect(server.recorder.backendsCreated == 1, "created once, then reused")
    }

    @Test func metricsExposeCountersAndLatency() throws {
        let server = try EmbeddedServer()
        _ = try server.get("/search?q=a")
        _ = try server.get("/search?q=b")
        _ = try server.get("/nowhere")
        let response = try server.get("/metrics")
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = response.bodyText
        #expect(text.contains(#"quarry_requests_total{endpoint="search",status="200"} 2"#))
        #expect(text.contains(#"quarry_requests_total{endpoint="unmatched",status="404"} 1"#))
        #expect(text.contains(#"quarry_request_duration_seconds_count{endpoint="search"} 2"#))
        #expect(text.contains("# TYPE quarry_request_duration_seconds histogram"))
    }

    @Test func idleEventClosesAnIdleConnection() throws {
        let server = try EmbeddedServer()
        _ = try server.get("/health")
        server.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(!server.isOpen)
    }

    @Test func idleEventClosesAStalledRequest() throws {
        let server = try EmbeddedServer()
        try server.send("POST /search HTTP/1.1\r\nHost: q\r\nContent-Length: 100\r\n\r\n{\"q\"")
        server.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(!server.isOpen)
    }

    @Test func idleEventDoesNotCutAnInFlightRequest() throws {
        let recorder = FakeRecorder()
        let manual = ManualExecutor(recorder: recorder)
        let server = try EmbeddedServer(recorder: recorder, manual: manual)
        try server.send(.request("GET", "/search?q=slow"))
        #expect(manual.pendingCount == 1)
        server.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(server.isOpen)
        manual.runNext()
        #expect(try server.responses().map(\.status) == [200])
        #expect(server.isOpen)
    }

    @Test func pipelinedRequestsWaitForTheOneInFlight() throws {
        let recorder = FakeRecorder()
        let manual = ManualExecutor(recorder: recorder)
        let server = try EmbeddedServer(recorder: recorder, manual: manual)
        try server.send(.request("GET", "/search?q=first") + .request("GET", "/search?q=second"))
        #expect(manual.pendingCount == 1, "the second request is held back until the first is answered")
        #expect(try server.responses().isEmpty)
        manual.runNext()
        #expect(manual.pendingCount == 1)
        manual.runNext()
        let responses = try server.responses()
        #expect(try responses.map { try $0.decode(SearchResponse.self).query } == ["first", "second"])
    }

    @Test func quiesceClosesAfterTheInFlightResponse() throws {
        let recorder = FakeRecorder()
        let manual = ManualExecutor(recorder: recorder)
        let server = try EmbeddedServer(recorder: recorder, manual: manual)
        try server.send(.request("GET", "/search?q=last"))
        server.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(server.isOpen, "the in-flight request finishes first")
        manual.runNext()
        let responses = try server.responses()
        #expect(responses.map(\.status) == [200])
        #expect(responses.first?.header("connection") == "close")
        #expect(!server.isOpen)
    }

    @Test func quiesceClosesAnIdleConnectionAtOnce() throws {
        let server = try EmbeddedServer()
        _ = try server.get("/health")
        server.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!server.isOpen)
    }

    @Test func expectContinueGetsA100First() throws {
        let server = try EmbeddedServer()
        let body = #"{"q":"gaza"}"#
        try server.send("POST /search HTTP/1.1\r\nHost: q\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        #expect(try server.responses().map(\.status) == [100])
        try server.send(body)
        #expect(try server.responses().map(\.status) == [200])
    }
}
