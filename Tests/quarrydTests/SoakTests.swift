import Foundation
import QuarryCore
import QuarryTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The short CI variant of Benchmarks/soak: keep-alive clients query without pause while `quarry-index --watch`
/// ingests articles a writer keeps dropping. No request may fail, and at the end every article written is
/// searchable by its own token and the document count matches. Latency and RSS are printed, never asserted
/// (speed and memory curves are for the script's long runs).
@Suite("quarryd: soak (short)", .timeLimit(.minutes(3)))
struct SoakTests {
    static let seconds = 12.0
    static let clients = 4

    struct Tally: Sendable {
        var requests = 0
        var failures: [String] = []
        var latencies: [Double] = []
    }

    @Test func queriesNeverFailAndNoArticleIsLostWhileWatchIngests() async throws {
        let corpus = try TestCorpus()
        try FileManager.default.copyItem(at: RepositoryPaths.samples, to: corpus.corpus.appendingPathComponent("samples"))
        let incoming = corpus.corpus.appendingPathComponent("incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        let first = try await runTool("quarry-index", [corpus.corpus.path, "--db", corpus.databasePath, "--quiet", "--json"])
        try #require(first.status == 0, "\(first.stderr)")
        let startDocuments = try JSONDecoder().decode(IndexSummary.self, from: Data(first.stdout.utf8)).documentsInIndex

        let watcher = try Executables.startWatcher(root: corpus.corpus.path, database: corpus.databasePath)
        LiveChildren.add(watcher.processIdentifier)
        defer {
            if watcher.isRunning { kill(watcher.processIdentifier, SIGKILL) }
            LiveChildren.remove(watcher.processIdentifier)
        }

        let queries = ["harbour", "ferry strike", "\"city council\"", "election", "rain OR flood", "title:festival",
                       "science", "bakery prices", "storm", "museum"]
        try await withDaemon(db: corpus.databasePath) { daemon in
            let deadline = ContinuousClock.now + .seconds(Self.seconds)
            var rss: [Int] = [ProcessMemory.kibibytes("VmRSS", of: daemon.pid)]
            let (tallies, written) = try await withThrowingTaskGroup(of: Tally?.self) { group in
                for client in 0..<Self.clients {
                    group.addTask {
                        try await Self.query(daemon.socketPath, queries: queries, offset: client, until: deadline)
                    }
                }
                // The writer runs here, between the clients' awaits: one article every 100 ms, renamed into place.
                var written: [(id: String, token: String)] = []
                // Seeded like every random test: QUARRY_SOAK_SEED=<printed seed> replays the tokens.
                let seed = SeededRandom.seed(fromEnvironment: "QUARRY_SOAK_SEED")
                print("soak: token salt seed \(seed) (replay with QUARRY_SOAK_SEED=\(seed))")
                var random = SeededRandom(seed: seed)
                let salt = UInt32.random(in: 0..<UInt32.max, using: &random)
                while ContinuousClock.now < deadline {
                    let number = written.count + 1
                    let token = "soak\(number)x\(salt)"
                    let id = "incoming/\(number).txt"
                    let text = "Soak article \(number)\n\nA new story that carries \(token) and nothing else of note."
                    let temporary = incoming.appendingPathComponent(".\(number).tmp")
                    try Data(text.utf8).write(to: temporary)
                    try FileManager.default.moveItem(at: temporary, to: corpus.corpus.appendingPathComponent(id))
                    written.append((id, token))
                    if number % 20 == 0 { rss.append(ProcessMemory.kibibytes("VmRSS", of: daemon.pid)) }
                    try await Task.sleep(for: .milliseconds(100))
                }
                var tallies: [Tally] = []
                for try await tally in group { if let tally { tallies.append(tally) } }
                return (tallies, written)
            }
            rss.append(ProcessMemory.kibibytes("VmRSS", of: daemon.pid))

            let requests = tallies.reduce(0) { $0 + $1.requests }
            let failures = tallies.flatMap(\.failures)
            #expect(requests > 0)
            #expect(failures.isEmpty, "\(failures.count) failed requests, first: \(failures.prefix(3))")

            try await withClient(daemon.socketPath) { client in
                // The watcher commits within a rescan or two: wait for the count, then check every token.
                let expected = startDocuments + written.count
                var documents = 0
                let commitDeadline = Date().addingTimeInterval(60)
                repeat {
                    documents = try client.decode(Stats.self, try await client.get("/stats")).documents
                    if documents == expected { break }
                    try await Task.sleep(for: .milliseconds(200))
                } while Date() < commitDeadline
                #expect(documents == expected, "documents in the index after the last commit")
                for (id, token) in written {
                    #expect(try await client.ids("q=\(token)&snippets=false") == [id], "\(id) is searchable by \(token)")
                }
            }
            kill(watcher.processIdentifier, SIGTERM)
            let stopped = await offload { watcher.waitUntilExit(); return watcher.terminationStatus }
            #expect(stopped == 0, "quarry-index --watch exits 0 on SIGTERM")

            let sorted = tallies.flatMap(\.latencies).sorted()
            let percentile = { (p: Double) in sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            print("""
                soak (short): \(requests) requests from \(Self.clients) clients in \(Self.seconds) s, \(failures.count) \
                failed; \(written.count) articles written, all checked; p50 \(Int(percentile(0.5) * 1e6)) µs, \
                p99 \(Int(percentile(0.99) * 1e6)) µs; quarryd RSS KiB \(rss.map(String.init).joined(separator: " → "))
                """)
        }
    }

    /// One keep-alive client querying until `deadline`; any error or non-200 answer is a failure.
    static func query(_ socket: String, queries: [String], offset: Int, until deadline: ContinuousClock.Instant)
        async throws -> Tally {
        var tally = Tally()
        let client = try await Client.connect(socket)
        var index = offset
        while ContinuousClock.now < deadline {
            let query = queries[index % queries.count]
            index += 1
            let started = ContinuousClock.now
            do {
                let result = try await client.get("/search?q=\(enc(query))&limit=10")
                tally.requests += 1
                if result.status != 200 { tally.failures.append("\(query): \(result.status) \(result.text)") }
            } catch {
                tally.requests += 1
                tally.failures.append("\(query): \(error)")
            }
            let elapsed = ContinuousClock.now - started
            tally.latencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        await client.close()
        return tally
    }

    struct Stats: Decodable {
        var documents: Int
    }
}
