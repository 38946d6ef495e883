import Foundation
import NIOHTTP1
import QuarryAPI
import QuarryClient
import QuarryTestSupport
import Testing

/// Bad requests get precise JSON errors, garbage gets a 400 or a closed connection, and the daemon carries on.
@Suite("quarryd: bad input", .sharedDaemon, .timeLimit(.minutes(3)))
struct BadInputTests {
    /// Each check runs on a keep-alive connection of its own, which must still answer /health afterwards; after
    /// every case the shared daemon must still be healthy and searching (`SharedDaemonTrait`).
    @Test(arguments: [
        DaemonCheck("q=AND") { BadInputTests.expectError(try await $0.get("/search?q=AND&mode=syntax"), 400, "query_rejected", containing: "Syntax", "q=AND") },
        DaemonCheck("q=strike AND") {
            BadInputTests.expectError(try await $0.get("/search?q=\(enc("strike AND"))"), 400, "query_rejected", "q=strike AND")
        },
        DaemonCheck("POST q=OR") {
            BadInputTests.expectError(try await $0.post("/search", json: #"{"q":"OR","mode":"syntax"}"#), 400, "query_rejected", "POST q=OR")
        },
    ])
    func rejectedQueries(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: ["{not json", "", "[1,2,3]", "\"q\"", "{\"q\":\"strike\"", "\u{FF}\u{FE}"].map { body in
        DaemonCheck("body \(body.debugDescription)") {
            BadInputTests.expectError(try await $0.post("/search", json: body), 400, "bad_json", "body \(body.debugDescription)")
        }
    } + [
        DaemonCheck("q of the wrong type") {
            BadInputTests.expectError(try await $0.post("/search", json: #"{"q":42}"#), 400, "bad_parameter", containing: "q",
                        "q of the wrong type")
        },
        DaemonCheck("limit as a string") {
            BadInputTests.expectError(try await $0.post("/search", json: #"{"q":"strike","limit":"ten"}"#), 400, "bad_parameter",
                        containing: "limit", "limit as a string")
        },
        DaemonCheck("no q") {
            BadInputTests.expectError(try await $0.post("/search", json: #"{"limit":5}"#), 400, "bad_parameter", containing: "q", "no q")
        },
    ])
    func badBodies(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: ["/nope", "/search/extra", "/", "/documents", "/statistics"].map { target in
        DaemonCheck("GET \(target)") { BadInputTests.expectError(try await $0.get(target), 404, "not_found", target) }
    } + [
        DaemonCheck("DELETE /search") { client in
            let delete = try await client.send(.DELETE, "/search?q=strike")
            BadInputTests.expectError(delete, 405, "method_not_allowed", "DELETE /search")
            let allowed = Set((delete.header("allow") ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allowed == ["GET", "POST"], "Allow: \(delete.header("allow") ?? "none")")
        },
        DaemonCheck("POST /health") {
            BadInputTests.expectError(try await $0.post("/health", json: "{}"), 405, "method_not_allowed", "POST /health")
        },
        DaemonCheck("PUT /documents") {
            BadInputTests.expectError(try await $0.send(.PUT, "/documents/wire-001", body: Array("{}".utf8)), 405,
                        "method_not_allowed", "PUT /documents")
        },
    ])
    func routing(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: BadInputTests.parameterCases.map { query, parameter in
        DaemonCheck(query.count > 60 ? String(query.prefix(60)) + "…" : query) {
            BadInputTests.expectError(try await $0.get("/search?" + query), 400, "bad_parameter", containing: parameter,
                        query.count > 60 ? String(query.prefix(60)) + "…" : query)
        }
    } + [
        DaemonCheck("POST limit=100000") {
            let posted = try await $0.post("/search", json: #"{"q":"strike","limit":100000}"#)
            BadInputTests.expectError(posted, 400, "bad_parameter", containing: "limit", "POST limit=100000")
        },
        DaemonCheck("POST from=2023-13-45") {
            let postedDate = try await $0.post("/search", json: #"{"q":"strike","from":"2023-13-45"}"#)
            BadInputTests.expectError(postedDate, 400, "bad_parameter", containing: "from", "POST from=2023-13-45")
        },
    ])
    func badParameters(_ check: DaemonCheck) async throws { try await check.perform() }

    static let parameterCases: [(query: String, parameter: String)] = [
        ("q=strike&limit=-1", "limit"),
        ("q=strike&limit=100000", "limit"),
        ("q=strike&limit=ten", "limit"),
        ("q=strike&offset=-3", "offset"),
        ("q=strike&from=2023-13-45", "from"),
        ("q=strike&to=2023-02-30", "to"),
        ("q=strike&from=yesterday", "from"),
        ("q=strike&from=2024-05-01&to=2024-01-01", "from"),
        ("q=strike&sort=sideways", "sort"),
        ("q=strike&collapse=perhaps", "collapse"),
        ("limit=5", "q"),
        ("q=%20%20", "q"),
        ("q=%E2%28", "q"),
        ("q=\(String(repeating: "a", count: 9000))", "q"),
    ]

    /// A body over max_body_bytes (1 MiB by default): 413, whether declared up front or not.
    @Test func oversizedBody() async throws {
        try await Self.oversizedDeclared()
    }

    @Test func oversizedChunkedBody() async throws {
        try await Self.oversizedChunked(try SharedDaemon.get().daemon.socketPath)
    }

    /// Bytes that are not HTTP, on raw sockets: a 400 or a closed connection, never a hang or a crash.
    @Test(arguments: Array(BadInputTests.garbagePayloads.indices))
    func garbage(_ index: Int) async throws {
        try await Self.garbage(try SharedDaemon.get().daemon.socketPath, index: index)
    }

    /// A good request then garbage on the same connection: the good one is answered first.
    @Test func goodRequestThenGarbage() async throws {
        let socket = try SharedDaemon.get().daemon.socketPath
        let mixed = try await offloadThrowing { () -> String in
            let raw = try UnixSocketClient(path: socket)
            raw.send(Array("GET /health HTTP/1.1\r\nHost: quarry\r\n\r\n\u{00}\u{01}garbage\r\n\r\n".utf8))
            return String(decoding: raw.readUntilClosed().bytes, as: UTF8.self)
        }
        #expect(mixed.hasPrefix("HTTP/1.1 200"), "\(mixed.prefix(200))")
    }

    /// A client that connects and goes away mid-request does no harm (the suite checks the daemon afterwards).
    @Test func clientGoesAwayMidRequest() async throws {
        let socket = try SharedDaemon.get().daemon.socketPath
        try await offloadThrowing {
            let raw = try UnixSocketClient(path: socket)
            raw.send(Array("POST /search HTTP/1.1\r\nHost: quarry\r\nContent-Length: 100\r\n\r\n{\"q\":".utf8))
        }
        try await withClient(socket) { client in
            let status = try await client.get("/search?q=strike&limit=1").status
            #expect(status == 200)
        }
    }

    static func expectError(_ result: HTTPResult, _ status: Int, _ code: String, containing fragment: String? = nil,
                             _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(what): \(result.text)", sourceLocation: sourceLocation)
        #expect(result.header("content-type")?.hasPrefix("application/json") == true, "\(what)",
                sourceLocation: sourceLocation)
        let error = ErrorEnvelope.decode(result)
        #expect(error?.code == code, "\(what): \(result.text)", sourceLocation: sourceLocation)
        let message = error?.message ?? ""
        #expect(!message.isEmpty, "\(what)", sourceLocation: sourceLocation)
        if let fragment {
            #expect(error?.message.contains(fragment) == true, "\(what): \(error?.message ?? result.text)",
                    sourceLocation: sourceLocation)
        }
    }

    static func oversizedDeclared() async throws {
        let big = #"{"q":""# + String(repeating: "a", count: 2 << 20) + #""}"#
        try await withSharedClient { client in
            let result = try await client.post("/search", json: big)
            expectError(result, 413, "payload_too_large", "2 MiB body")
        }
    }

    /// Chunked, so the size is only known while reading.
    static func oversizedChunked(_ socket: String) async throws {
        let head = "POST /search HTTP/1.1\r\nHost: quarry\r\nTransfer-Encoding: chunked\r\n\r\n"
        let chunk = String(repeating: "b", count: 256 * 1024)
        let chunked = Array(head.utf8) + (0..<8).flatMap { _ in
            Array((String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n").utf8)
        } + Array("0\r\n\r\n".utf8)
        let received = try await offloadThrowing { () -> [UInt8] in
            let raw = try UnixSocketClient(path: socket)
            raw.send(chunked)
            return raw.readUntilClosed().bytes
        }
        let responses = RawHTTPResponse.parseAll(received)
        #expect(responses.first?.status == 413, "chunked 2 MiB body: \(String(decoding: received.prefix(200), as: UTF8.self))")
    }

    static let garbagePayloads: [[UInt8]] = [
        Array("\u{00}\u{01}\u{02} nonsense\r\n\r\n".utf8),
        Array("GET /search?q=x HTTX/1.1\r\nHost: quarry\r\n\r\n".utf8),
        Array("GET /search?q=x HTTP/1.1\r\nContent-Length: banana\r\n\r\n".utf8),
        Array("NOTAMETHOD / HTTP/1.1\r\n\r\n".utf8),
        (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) },
    ]

    static func garbage(_ socket: String, index: Int) async throws {
        let payload = garbagePayloads[index]
        let outcome = try await offloadThrowing { () -> (String, Bool) in
            let raw = try UnixSocketClient(path: socket)
            raw.send(payload)
            let (bytes, timedOut) = raw.readUntilClosed()
            return (String(decoding: bytes, as: UTF8.self), timedOut)
        }
        let (text, timedOut) = outcome
        #expect(!timedOut, "payload \(index): the connection neither answered and closed nor closed")
        #expect(text.isEmpty || text.hasPrefix("HTTP/1.1 400") || text.hasPrefix("HTTP/1.0 400"),
                "payload \(index) got: \(text.prefix(200))")
        // A new connection still works.
        try await withClient(socket) { client in
            let search = try await client.get("/search?q=strike&limit=1")
            #expect(search.status == 200, "after payload \(index)")
        }
    }
}
