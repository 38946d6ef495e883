import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// quarryd serving an index made of two shards that `xapian-tcpsrv` serves on 127.0.0.1 (issue 19): the same
/// answers as one local index of the same articles; a hung shard gives a 503 within the configured timeout; the
/// shard is used again when it answers, without a restart; "did you mean" comes from the configured local copy.
@Suite(.serialized, .enabled(if: TcpServer.isInstalled, "skipped: xapian-tcpsrv (Debian's xapian-tools) is not installed"))
struct RemoteShardTests {
    /// The bundled samples split in two: business and science in one shard; sport, world and the JSON Lines
    /// feed in the other; `whole` holds them all (the same ids: each relative to its shard's root).
    struct Layout {
        let folder: ShortTempDirectory
        var shardA: String { folder.file("shard-a") }
        var shardB: String { folder.file("shard-b") }
        var whole: String { folder.file("whole") }

        init() throws {
            folder = try ShortTempDirectory()
            let files = FileManager.default
            let samples = RepositoryPaths.samples.path
            for (root, parts) in [("a", ["news/business", "news/science"]),
                                  ("b", ["news/sport", "news/world", "news.jsonl"])] {
                try files.createDirectory(atPath: folder.file("\(root)/news"), withIntermediateDirectories: true)
                for part in parts { try files.copyItem(atPath: "\(samples)/\(part)", toPath: folder.file("\(root)/\(part)")) }
            }
            try index([folder.file("a")], at: shardA)
            try index([folder.file("b")], at: shardB)
            try index([folder.file("a"), folder.file("b")], at: whole)
        }

        func index(_ roots: [String], at db: String) throws {
            let run = try Executables.run("quarry-index", roots + ["--db", db, "--jobs", "1", "--quiet"])
            guard run.status == 0 else { throw DaemonFailure("quarry-index failed: \(run.stderr)") }
        }

        func stub(_ servers: [TcpServer]) throws -> String {
            let path = folder.file("shards.stub")
            try servers.map { "remote 127.0.0.1:\($0.port)\n" }.joined()
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    static let queries = ["q=strike", "q=%22central+bank%22", "q=comet+OR+bridge&limit=50",
                          "q=match&sort=-date", "q=rates&category=business", "q=&category=sport&sort=date"]

    /// Same total, and the same hits in the same order with the same scores (to 1e-9); hits with equal scores
    /// may come in another order (Xapian breaks ties by docid, which differ), so ties are compared as sets.
    func expectSameAnswers(_ shards: Client, _ one: Client) async throws {
        for query in Self.queries {
            let fromShards = try await shards.search(query), fromOne = try await one.search(query)
            #expect(!fromOne.hits.isEmpty, "\(query) matches nothing: the comparison would prove nothing")
            #expect(fromShards.total == fromOne.total, "\(query)")
            #expect(fromShards.hits.count == fromOne.hits.count, "\(query)")
            for (a, b) in zip(fromShards.hits, fromOne.hits) {
                #expect(abs(a.score - b.score) < 1e-9, "\(query): rank \(a.rank): \(a.score) vs \(b.score)")
                #expect(a.date == b.date, "\(query): rank \(a.rank)")
            }
            func byScore(_ hits: [SearchHit]) -> [String] {
                hits.sorted { ($0.score, $1.id) > ($1.score, $0.id) }.map(\.id)
            }
            #expect(byScore(fromShards.hits) == byScore(fromOne.hits), "\(query)")
        }
    }

    /// Polls until a search answers 200 (the shards open again at the next retry, remote_retry_seconds).
    func waitUntilAnswering(_ client: Client) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await client.get("/search?q=strike").status != 200 {
            guard ContinuousClock.now < deadline else { throw DaemonFailure("the shards did not answer again within 30 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func twoRemoteShardsAnswerAsOneIndexFailClearlyAndRecover() async throws {
        let layout = try Layout()
        defer { layout.folder.remove() }
        let serverA = try TcpServer(serving: layout.shardA)
        defer { serverA.stop() }
        let serverB = try TcpServer(serving: layout.shardB)
        defer { serverB.stop() }
        defer { serverB.resume() }  // a stopped server cannot be killed cleanly by stop() otherwise

        // Timeouts of 5 s: short for the test, long enough for a loaded CI machine's xapian-tcpsrv to answer.
        let environment = ["QUARRY_REMOTE_TIMEOUT_SECONDS": "5", "QUARRY_REMOTE_CONNECT_TIMEOUT_SECONDS": "5",
                           "QUARRY_REMOTE_RETRY_SECONDS": "6", "QUARRY_SPELLING_DB": layout.whole]
        try await withDaemon(db: layout.whole, workers: 1, healthTimeout: 90) { one in
            // A fresh clone's first test run loads the machine hard: the daemons get longer to come up.
            try await withDaemon(db: try layout.stub([serverA, serverB]), workers: 1, environment: environment,
                                 healthTimeout: 90) { shards in
                try await withClient(shards.socketPath) { shardsClient in
                    try await withClient(one.socketPath) { oneClient in
                        try await expectSameAnswers(shardsClient, oneClient)

                        // "Did you mean" over remote shards comes from the local copy (spelling_db).
                        let misspelt = "q=semiconductor+earnigs"
                        let expected = try await oneClient.search(misspelt).suggestion
                        #expect(expected != nil)
                        #expect(try await shardsClient.search(misspelt).suggestion == expected)

                        // A hung shard: 503 within the 5 s timeout (plus slack), not a hang; then at once, until
                        // the next try to open the shards (remote_retry_seconds).
                        serverB.pause()
                        for attempt in 0..<3 {
                            let started = ContinuousClock.now
                            let answer = try await shardsClient.get("/search?q=strike")
                            let waited = ContinuousClock.now - started
                            #expect(answer.status == 503, "\(answer.text)")
                            #expect(ErrorEnvelope.decode(answer)?.code == "index_unavailable", "\(answer.text)")
                            #expect(waited < (attempt == 0 ? .seconds(10) : .milliseconds(500)),
                                    "a hung shard held request \(attempt) for \(waited)")
                        }

                        // Answering again: used again without a restart.
                        serverB.resume()
                        try await waitUntilAnswering(shardsClient)
                        try await expectSameAnswers(shardsClient, oneClient)

                        // A shard whose server dies: 503 at once (the connection is closed); restarted on its
                        // port, it is used again.
                        serverB.stop()
                        let started = ContinuousClock.now
                        let answer = try await shardsClient.get("/search?q=strike")
                        #expect(answer.status == 503, "\(answer.text)")
                        #expect(ContinuousClock.now - started < .seconds(1), "a dead shard must fail at once")
                        let restarted = try TcpServer(serving: layout.shardB, port: serverB.port)
                        defer { restarted.stop() }
                        try await waitUntilAnswering(shardsClient)
                        try await expectSameAnswers(shardsClient, oneClient)
                    }
                }
            }
        }
    }
}
