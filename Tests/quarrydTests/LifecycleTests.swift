import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting without an index, and stopping with clients connected.
@Suite("quarryd: lifecycle", .timeLimit(.minutes(3)))
struct LifecycleTests {
    @Test func sigtermWithAnIdleKeepAliveClientExitsCleanly() async throws {
        let db = try await SharedIndex.prepare()
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("q.sock")
        let daemon = try Daemon.launch(db: db, socket: socket)
        let client: Client
        do {
            try await daemon.waitUntilHealthy()
            client = try await Client.connect(socket)
        } catch {
            await daemon.stop()
            throw error
        }
        let first = try? await client.ids("q=valmora")
        #expect(first?.isEmpty == false)

        // The connection stays open, idle, while the daemon is told to stop.
        let exit = await daemon.stop()
        #expect(exit.isClean, "quarryd with an idle client, after SIGTERM: \(exit); log:\n\(daemon.log)")
        #expect(!pathExists(socket))
        let after = try? await client.get("/health")
        #expect(after == nil, "the idle connection was closed by the shutdown")
        await client.close()
    }

    @Test func aRequestArrivingDuringShutdownOnAnOpenConnectionIsAnswered() async throws {
        let db = try await SharedIndex.prepare()
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("q.sock")
        let daemon = try Daemon.launch(db: db, socket: socket)
        do {
            try await daemon.waitUntilHealthy()
        } catch {
            await daemon.stop()
            throw error
        }
        let body = #"{"q":"valmora","limit":3}"#
        let head = "POST /search HTTP/1.1\r\nHost: quarry\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n"
        let raw = try UnixSocketClient(path: socket)
        // Head and half the body, then SIGTERM, then the rest: the request was in flight when shutdown began.
        raw.send(Array(head.utf8) + Array(body.utf8.prefix(8)))
        try await Task.sleep(for: .milliseconds(200))
        kill(daemon.pid, SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        raw.send(Array(body.utf8.dropFirst(8)))
        let received = await offload { raw.readUntilClosed() }
        let responses = RawHTTPResponse.parseAll(received.bytes)
        #expect(!received.timedOut, "the connection is closed after the answer")
        #expect(responses.count == 1)
        #expect(responses.first?.status == 200, "\(String(decoding: received.bytes, as: UTF8.self).prefix(300))")
        if let response = responses.first, response.status == 200 {
            let decoded = try JSONDecoder().decode(SearchResponse.self, from: Data(response.body))
            #expect(!decoded.hits.isEmpty)
        }

        let exit = await daemon.stop()
        #expect(exit.isClean, "\(exit); log:\n\(daemon.log)")
        #expect(!pathExists(socket))
    }

    @Test func startsBeforeItsIndexExistsAndRecoversOnceItIsBuilt() async throws {
        let corpus = try TestCorpus()
        let db = corpus.databasePath
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("q.sock")
        let daemon = try Daemon.launch(db: db, socket: socket)
        do {
            // Up, but not healthy: /health and searches say the index is unavailable.
            var health: Int?
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, daemon.isRunning {
                if let client = try? await Client.connect(socket, timeout: 10) {
                    health = try? await client.get("/health").status
                    await client.close()
                    if health != nil { break }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(health == 503, "quarryd without an index: /health \(health.map(String.init) ?? "none"); log:\n\(daemon.log)")
            #expect(daemon.log.contains("answering 503"), "the start-up log says why: \(daemon.log)")
            try await withClient(socket) { client in
                let search = try await client.get("/search?q=valmora")
                #expect(search.status == 503)
                #expect(ErrorEnvelope.decode(search)?.code == "index_unavailable", "\(search.text)")
            }

            let indexed = try await runTool("quarry-index", [RepositoryPaths.samples.path, "--db", db, "--quiet"])
            try #require(indexed.status == 0, "\(indexed.stderr)")

            try await withClient(socket) { client in
                var status = 0
                let ready = Date().addingTimeInterval(15)
                while Date() < ready {
                    status = try await client.get("/health").status
                    if status == 200 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(status == 200, "healthy once the index exists, without a restart")
                var hits: [String] = []
                for _ in 0..<4 { hits = try await client.ids("q=valmora") }  // every worker
                #expect(!hits.isEmpty)
            }
        } catch {
            await daemon.stop()
            throw error
        }
        let exit = await daemon.stop()
        #expect(exit.isClean, "\(exit); log:\n\(daemon.log)")
        #expect(!pathExists(socket))
    }
}
