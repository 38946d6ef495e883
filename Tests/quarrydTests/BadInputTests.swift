import Foundation
import NIOHTTP1
import QuarryAPI
import QuarryClient
import QuarryTestSupport
import Testing

/// Bad requests get precise JSON errors, garbage gets a 400 or a closed connection, and the daemon carries on.
@Suite("quarryd: bad input", .timeLimit(.minutes(3)))
struct BadInputTests {
    @Test func badRequestsAreRejectedAndTheDaemonCarriesOn() async throws {
        try await withDaemon { daemon in
            let socket = daemon.socketPath
            try await withClient(socket) { client in
                try await rejectedQueries(client)
                try await badBodies(client)
                try await routing(client)
                try await badParameters(client)
                // All of that on one keep-alive connection, which still works.
                let health = try await client.get("/health")
                #expect(health.status == 200)
            }
            try await oversizedBody(socket)
            try await garbage(socket)
            try await withClient(socket) { client in
                let health = try await client.get("/health")
                #expect(health.status == 200, "healthy after all the bad requests")
                let hits = try await client.ids("q=valmora")
                #expect(!hits.isEmpty)
            }
        }
    }

    private func expectError(_ result: HTTPResult, _ status: Int, _ code: String, containing fragment: String? = nil,
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

    private func rejectedQueries(_ client: Client) async throws {
        // Xapian's QueryParser refuses these; its message is passed on.
        expectError(try await client.get("/search?q=AND"), 400, "query_rejected", containing: "Syntax", "q=AND")
        expectError(try await client.get("/search?q=\(enc("strike AND"))"), 400, "query_rejected", "q=strike AND")
        expectError(try await client.post("/search", json: #"{"q":"OR"}"#), 400, "query_rejected", "POST q=OR")
    }

    private func badBodies(_ client: Client) async throws {
        for body in ["{not json", "", "[1,2,3]", "\"q\"", "{\"q\":\"strike\"", "\u{FF}\u{FE}"] {
            expectError(try await client.post("/search", json: body), 400, "bad_json", "body \(body.debugDescription)")
        }
        expectError(try await client.post("/search", json: #"{"q":42}"#), 400, "bad_parameter", containing: "q",
                    "q of the wrong type")
        expectError(try await client.post("/search", json: #"{"q":"strike","limit":"ten"}"#), 400, "bad_parameter",
                    containing: "limit", "limit as a string")
        expectError(try await client.post("/search", json: #"{"limit":5}"#), 400, "bad_parameter", containing: "q",
                    "no q")
    }

    private func routing(_ client: Client) async throws {
        for target in ["/nope", "/search/extra", "/", "/documents", "/statistics"] {
            expectError(try await client.get(target), 404, "not_found", target)
        }
        let delete = try await client.send(.DELETE, "/search?q=strike")
        expectError(delete, 405, "method_not_allowed", "DELETE /search")
        let allowed = Set((delete.header("allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(allowed == ["GET", "POST"], "Allow: \(delete.header("allow") ?? "none")")
        expectError(try await client.post("/health", json: "{}"), 405, "method_not_allowed", "POST /health")
        expectError(try await client.send(.PUT, "/documents/wire-001", body: Array("{}".utf8)), 405,
                    "method_not_allowed", "PUT /documents")
    }

    private func badParameters(_ client: Client) async throws {
        let cases: [(query: String, parameter: String)] = [
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
        for (query, parameter) in cases {
            expectError(try await client.get("/search?" + query), 400, "bad_parameter", containing: parameter,
                        query.count > 60 ? String(query.prefix(60)) + "…" : query)
        }
        let posted = try await client.post("/search", json: #"{"q":"strike","limit":100000}"#)
        expectError(posted, 400, "bad_parameter", containing: "limit", "POST limit=100000")
        let postedDate = try await client.post("/search", json: #"{"q":"strike","from":"2023-13-45"}"#)
        expectError(postedDate, 400, "bad_parameter", containing: "from", "POST from=2023-13-45")
    }

    /// A body over max_body_bytes (1 MiB by default): 413, whether declared up front or not.
    private func oversizedBody(_ socket: String) async throws {
        let big = #"{"q":""# + String(repeating: "a", count: 2 << 20) + #""}"#
        try await withClient(socket) { client in
            let result = try await client.post("/search", json: big)
            expectError(result, 413, "payload_too_large", "2 MiB body")
        }
        // Chunked, so the size is only known while reading.
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

    /// Bytes that are not HTTP, on raw sockets: a 400 or a closed connection, never a hang or a crash.
    private func garbage(_ socket: String) async throws {
        let payloads: [[UInt8]] = [
            Array("\u{00}\u{01}\u{02} nonsense\r\n\r\n".utf8),
            Array("GET /search?q=x HTTX/1.1\r\nHost: quarry\r\n\r\n".utf8),
            Array("GET /search?q=x HTTP/1.1\r\nContent-Length: banana\r\n\r\n".utf8),
            Array("NOTAMETHOD / HTTP/1.1\r\n\r\n".utf8),
            (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) },
        ]
        for (index, payload) in payloads.enumerated() {
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

        // A good request then garbage on the same connection: the good one is answered first.
        let mixed = try await offloadThrowing { () -> String in
            let raw = try UnixSocketClient(path: socket)
            raw.send(Array("GET /health HTTP/1.1\r\nHost: quarry\r\n\r\n\u{00}\u{01}garbage\r\n\r\n".utf8))
            return String(decoding: raw.readUntilClosed().bytes, as: UTF8.self)
        }
        #expect(mixed.hasPrefix("HTTP/1.1 200"), "\(mixed.prefix(200))")

        // A client that connects and goes away mid-request does no harm.
        try await offloadThrowing {
            let raw = try UnixSocketClient(path: socket)
            raw.send(Array("POST /search HTTP/1.1\r\nHost: quarry\r\nContent-Length: 100\r\n\r\n{\"q\":".utf8))
        }
    }
}
