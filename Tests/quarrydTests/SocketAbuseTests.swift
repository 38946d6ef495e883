import Foundation
import QuarryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hostile clients on the socket itself, against the real quarryd: slow, oversized, truncated, too many, and
/// gone mid-response. Each gets an error answer or a clean close, and everyone else is still served.
@Suite("quarryd: socket abuse", .timeLimit(.minutes(5)))
struct SocketAbuseTests {
    @Test func slowClientsGet408WhileOthersAreServed() async throws {
        // request_timeout 1 s; the idle timeout (60 s) alone would never fire on a client trickling a byte every 0.2 s.
        try await withDaemon(environment: ["QUARRY_REQUEST_TIMEOUT_SECONDS": "1"]) { daemon in
            let socket = daemon.socketPath
            let trickle = Task {
                try await offloadThrowing { () -> (sentAll: Bool, bytes: [UInt8], timedOut: Bool) in
                    let slow = try UnixSocketClient(path: socket, timeout: 20)
                    var sentAll = true
                    for byte in Array("GET /search?q=port+strike HTTP/1.1\r\nHost: quarry\r\n\r\n".utf8) {
                        guard slow.send([byte]) else { sentAll = false; break }
                        usleep(200_000)
                    }
                    let (bytes, timedOut) = slow.readUntilClosed()
                    return (sentAll, bytes, timedOut)
                }
            }
            // Served meanwhile.
            try await withClient(socket) { client in
                for _ in 0..<5 {
                    let hits = try await client.ids("q=valmora")
                    #expect(!hits.isEmpty)
                }
            }
            let (sentAll, bytes, timedOut) = try await trickle.value
            #expect(!sentAll, "the daemon cut the trickling client off long before its 10 s request was complete")
            #expect(!timedOut)
            let responses = RawHTTPResponse.parseAll(bytes)
            #expect(responses.map(\.status) == [408], "\(String(decoding: bytes, as: UTF8.self))")
            #expect(responses.first?.errorCode == "request_timeout")

            // A head sent in full, then a body that never comes.
            let stalled = try await offloadThrowing { () -> (bytes: [UInt8], timedOut: Bool) in
                let client = try UnixSocketClient(path: socket, timeout: 20)
                try client.send("POST /search HTTP/1.1\r\nHost: quarry\r\nContent-Length: 100\r\n\r\n{\"q\":")
                return client.readUntilClosed()
            }
            #expect(!stalled.timedOut)
            #expect(RawHTTPResponse.parseAll(stalled.bytes).map(\.status) == [408])
            try await expectServing(socket)
        }
    }

    @Test func oversizedHeadsGet431AndCloseCleanly() async throws {
        try await withDaemon(environment: ["QUARRY_MAX_HEADER_BYTES": "4096"]) { daemon in
            let socket = daemon.socketPath
            let cases: [(what: String, request: String)] = [
                ("a 5 KB header", .request("GET", "/health", headers: ["X-Big: " + String(repeating: "b", count: 5000)])),
                ("500 small headers", .request("GET", "/health", headers: (0..<500).map { "X-H\($0): value" })),
                ("a 5 KB query string", .request("GET", "/search?q=" + String(repeating: "a", count: 5000))),
                ("a 1 MB query string", .request("GET", "/search?q=" + String(repeating: "ab+", count: 350_000))),
            ]
            for (what, request) in cases {
                let outcome = try await offloadThrowing { () -> (bytes: [UInt8], timedOut: Bool) in
                    let client = try UnixSocketClient(path: socket, timeout: 20)
                    client.send(Array(request.utf8))  // may be cut short once the daemon has answered
                    return client.readUntilClosed()
                }
                #expect(!outcome.timedOut, "\(what): answered and closed")
                let responses = RawHTTPResponse.parseAll(outcome.bytes)
                #expect(responses.map(\.status) == [431], "\(what): \(String(decoding: outcome.bytes.prefix(300), as: UTF8.self))")
                #expect(responses.first?.errorCode == "headers_too_large", "\(what)")
            }
            // Just under the limit: served.
            let fits = try await offloadThrowing {
                try UnixSocketClient(path: socket).roundTrip(
                    .request("GET", "/health", headers: ["X-Big: " + String(repeating: "b", count: 3500)]))
            }
            #expect(fits.status == 200)
            try await expectServing(socket)
        }
    }

    @Test func truncatedRequestsAreDroppedCleanly() async throws {
        try await withDaemon { daemon in
            let socket = daemon.socketPath
            let request = Array(String.request("POST", "/search", body: #"{"q":"port strike","limit":5}"#).utf8)
            // Cut at every point: the client sends part of a request and hangs up.
            try await offloadThrowing {
                for cut in stride(from: 1, to: request.count, by: 3) {
                    let client = try UnixSocketClient(path: socket)
                    client.send(Array(request[..<cut]))
                }
            }
            try await expectServing(socket)
            #expect(daemon.isRunning)
        }
    }

    /// max_connections (default 256): with 300 idle connections open, the 44 beyond it are closed; the first 256
    /// are served; once some close, new ones are served again.
    @Test func connectionsBeyondMaxConnectionsAreClosedAndTheRestServed() async throws {
        try await withDaemon { daemon in
            let socket = daemon.socketPath
            let limit = 256
            let (served, refused, survivors) = try await offloadThrowing {
                () -> (served: Int, refused: Int, survivors: [UnixSocketClient]) in
                // Open them all first (idle), then ask on each in the order they were accepted.
                let clients = try (0..<(limit + 44)).map { _ in try UnixSocketClient(path: socket, timeout: 30) }
                var served = 0
                var refused = 0
                var survivors: [UnixSocketClient] = []
                for client in clients {
                    client.send(Array(String.request("GET", "/health").utf8))
                    if let response = try? client.readResponse(), response.status == 200 {
                        served += 1
                        survivors.append(client)
                    } else {
                        refused += 1
                    }
                }
                return (served, refused, survivors)
            }
            #expect(served == limit, "connections up to max_connections are served")
            #expect(refused == 44, "connections beyond max_connections are closed")

            // Close 100 of the served ones; 100 new connections are then admitted (as the daemon notices the
            // closes) and served, and the 156 that stayed open are still served too.
            survivors.prefix(100).forEach { $0.disconnect() }
            let kept = Array(survivors.dropFirst(100))
            let (fresh, stillServed) = try await offloadThrowing { () -> (Int, Int) in
                var fresh = 0
                for _ in 0..<100 {
                    for _ in 0..<200 {
                        let client = try UnixSocketClient(path: socket, timeout: 30)
                        client.send(Array(String.request("GET", "/health").utf8))
                        if let response = try? client.readResponse(), response.status == 200 {
                            fresh += 1
                            break
                        }
                        usleep(50_000)
                    }
                }
                let stillServed = kept.filter {
                    (try? $0.roundTrip(.request("GET", "/search?q=valmora")))?.status == 200
                }.count
                return (fresh, stillServed)
            }
            #expect(fresh == 100)
            #expect(stillServed == kept.count)
        }
    }

    /// Clients that ask for large answers (pipelined, limit=1000 with snippets) and hang up after a few bytes.
    @Test func clientsThatDisconnectMidResponseDoNoHarm() async throws {
        try await withDaemon { daemon in
            let socket = daemon.socketPath
            let request = String.request("GET", "/search?q=the+OR+a&limit=1000")
            try await offloadThrowing {
                for _ in 0..<10 {
                    let client = try UnixSocketClient(path: socket)
                    try client.send(String(repeating: request, count: 50))
                    _ = try client.readResponse()  // the first whole answer
                    // ... and then only part of the second: gone.
                }
            }
            try await expectServing(socket)
            #expect(daemon.isRunning)
        }
    }

    /// /health answers and a search finds what it always finds.
    private func expectServing(_ socket: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withClient(socket) { client in
            #expect(try await client.get("/health").status == 200, sourceLocation: sourceLocation)
            let expected = SampleCorpus.idsContaining(phrase: "port strike")
            let found = try await client.ids("q=\(enc("\"port strike\""))&limit=1000")
            #expect(Set(found) == expected && !expected.isEmpty, sourceLocation: sourceLocation)
        }
    }
}
