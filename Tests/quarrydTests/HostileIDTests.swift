import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

/// Ids that look like paths are only ids: quarryd finds them in the index (the `Q` term) and never opens a
/// file for them, so `/documents/{id}` can serve `/etc/passwd` the article and never /etc/passwd the file.
@Suite("quarryd: path-like ids", .timeLimit(.minutes(3)))
struct HostileIDTests {
    @Test func pathLikeIdsAreServedFromTheIndexOnly() async throws {
        let corpus = try TestCorpus()
        try corpus.write("ids.jsonl", HostileArticles.idFeed())
        let indexed = try await runTool("quarry-index", [corpus.corpus.path, "--db", corpus.databasePath, "--json"])
        try #require(indexed.status == 0, "\(indexed.stderr)")
        let summary = try JSONDecoder().decode(IndexSummary.self, from: Data(indexed.stdout.utf8))
        #expect(summary.added == HostileArticles.pathLikeIDs.count)
        #expect(summary.skippedTotal == HostileArticles.refusedIDs.count)

        try await withDaemon(db: corpus.databasePath) { daemon in
            try await withClient(daemon.socketPath) { client in
                for (index, id) in HostileArticles.pathLikeIDs.enumerated() {
                    let stored = try client.decode(StoredArticle.self, try await client.get("/documents/" + encPath(id)))
                    #expect(stored.id == id)
                    #expect(stored.title == "Path-like id \(index)")
                    #expect(try await client.ids("q=" + HostileArticles.token(forPathLikeID: index)) == [id])
                    let similar = try await client.get("/similar/" + encPath(id))
                    #expect(similar.status == 200, "\(id): \(similar.text)")
                }
                // Paths of real files that are not ids, spelled every way a client might: 404, and not a byte
                // of the file.
                for target in [
                    "/documents//etc/hostname", "/documents/../../../../etc/passwd",
                    "/documents/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/documents/%2Fetc%2Fpasswd%00",
                    "/documents/" + encPath(RepositoryPaths.root.appendingPathComponent("README.md").path),
                    "/similar/..%2F..%2Fetc%2Fpasswd",
                ] {
                    let answer = try await client.get(target)
                    #expect(answer.status == 404, "\(target): \(answer.status) \(answer.text)")
                    #expect(ErrorEnvelope.decode(answer)?.code == "not_found", "\(target): \(answer.text)")
                    #expect(!answer.text.contains("root:") && !answer.text.contains("# Quarry"), "\(target)")
                }
            }
        }
    }
}
