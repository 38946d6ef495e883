import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

/// What quarry-index commits while quarryd runs is searchable within seconds, without a restart.
@Suite("quarryd: freshness", .timeLimit(.minutes(3)))
struct FreshnessTests {
    @Test func newArticlesAppearWhileTheDaemonRuns() async throws {
        let corpus = try TestCorpus()
        let samples = corpus.corpus.appendingPathComponent("samples")
        try FileManager.default.copyItem(at: RepositoryPaths.samples, to: samples)
        let db = corpus.databasePath
        let first = try await runTool("quarry-index", [samples.path, "--db", db, "--quiet"])
        try #require(first.status == 0, "\(first.stderr)")

        let word = "zorblattic"
        let newID = "news/science/900-zorblattic-crystals-found-in-dornhollow.txt"
        try await withDaemon(db: db) { daemon in
            try await withClient(daemon.socketPath) { client in
                let none = try await client.ids("q=\(word)")
                #expect(none.isEmpty)
                let before = try client.decode(Stats.self, try await client.get("/stats"))
                #expect(before.documents == 32)

                let text = TestCorpus.article(
                    title: "Zorblattic crystals found in Dornhollow caves",
                    standfirst: "Cavers have found a mineral nobody had described before.",
                    paragraphs: ["The zorblattic crystals glow faintly under ultraviolet light, the team said."],
                    dateLine: "Published: 2 May 2024")
                try Data(text.utf8).write(to: samples.appendingPathComponent(newID))
                let second = try await runTool("quarry-index", [samples.path, "--db", db, "--quiet", "--json"])
                try #require(second.status == 0, "\(second.stderr)")

                // Poll for up to 10 s: each worker reopens the database at most every reopen interval.
                let deadline = Date().addingTimeInterval(10)
                var found: [String] = []
                while Date() < deadline {
                    found = try await client.ids("q=\(word)")
                    if !found.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(found == [newID], "the new article is found without restarting quarryd")

                // Once visible, it stays visible on every worker.
                try await Task.sleep(for: .milliseconds(500))
                for _ in 0..<6 {
                    let again = try await client.ids("q=\(word)")
                    #expect(again == [newID])
                }
                let stored = try client.decode(StoredArticle.self, try await client.get("/documents/" + encPath(newID)))
                #expect(stored.title == "Zorblattic crystals found in Dornhollow caves")
                #expect(stored.date?.iso == "2024-05-02")
                #expect(stored.category == "science")
                let after = try client.decode(Stats.self, try await client.get("/stats"))
                #expect(after.documents == 33)
                #expect(after.revision > before.revision)

                // A deletion is seen the same way.
                try FileManager.default.removeItem(at: samples.appendingPathComponent(newID))
                let third = try await runTool("quarry-index", [samples.path, "--db", db, "--quiet"])
                try #require(third.status == 0, "\(third.stderr)")
                let gone = Date().addingTimeInterval(10)
                var remaining = found
                while Date() < gone {
                    remaining = try await client.ids("q=\(word)")
                    if remaining.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(remaining.isEmpty, "a deleted article disappears without restarting quarryd")
            }
        }
    }

    struct Stats: Decodable {
        var documents: Int
        var revision: Int
    }
}
