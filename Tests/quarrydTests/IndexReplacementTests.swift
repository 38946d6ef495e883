import Foundation
import QuarryClient
import QuarryCore
import QuarryTestSupport
import Testing

/// The index under a running quarryd is swapped for another, removed, rebuilt, or corrupt from the start:
/// 503 `index_unavailable` with the reason while there is no readable index, and the index at the path
/// served again as soon as there is one, without a restart.
@Suite("quarryd: index removed, replaced or corrupt", .timeLimit(.minutes(3)))
struct IndexReplacementTests {
    /// A one-article index whose only article holds a word the samples do not have.
    private func buildOtherIndex(_ corpus: TestCorpus, at path: String) async throws {
        try corpus.write("other/quillfeather.txt", TestCorpus.article(
            title: "Quillfeather archive opens", standfirst: "A quillfeather collection goes on show.",
            paragraphs: ["Curators catalogued every quillfeather in the archive."]))
        let built = try await runTool("quarry-index", [corpus.corpus.appendingPathComponent("other").path,
                                                       "--db", path, "--quiet"])
        try #require(built.status == 0, "\(built.stderr)")
    }

    @Test func anIndexSwappedRemovedAndRebuiltIsFollowedWithoutARestart() async throws {
        let corpus = try TestCorpus()
        let db = corpus.databasePath
        let samples = try await runTool("quarry-index", [RepositoryPaths.samples.path, "--db", db, "--quiet"])
        try #require(samples.status == 0, "\(samples.stderr)")
        let other = corpus.root.appendingPathComponent("other-db").path
        try await buildOtherIndex(corpus, at: other)

        try await withDaemon(db: db) { daemon in
            try await withClient(daemon.socketPath) { client in
                #expect(try await !client.ids("q=valmora").isEmpty)

                // Swapped: the old index moved away (still intact, still readable), another renamed into place.
                try FileManager.default.moveItem(atPath: db, toPath: db + ".old")
                try FileManager.default.moveItem(atPath: other, toPath: db)
                let swapped = await answers(client, "/search?q=quillfeather") { $0.status == 200 && hitCount($0) == 1 }
                #expect(swapped, "the index moved into place is served")
                #expect(try await client.ids("q=valmora").isEmpty, "nothing of the old index is served")

                // Removed: 503 with a reason, on every worker, for searches, documents, stats and health.
                try FileManager.default.removeItem(atPath: db)
                let gone = await answers(client, "/search?q=quillfeather") { $0.status == 503 }
                #expect(gone, "a removed index answers 503")
                for target in ["/search?q=valmora", "/documents/other/quillfeather.txt", "/stats", "/health"] {
                    let answer = try await client.get(target)
                    let error = ErrorEnvelope.decode(answer)
                    #expect(answer.status == 503 && error?.code == "index_unavailable", "\(target): \(answer.text)")
                    #expect(error?.message.contains("the index is gone") == true, "\(target): \(answer.text)")
                    #expect(!answer.text.contains(db), "no server path in the answer: \(answer.text)")
                }

                // Rebuilt in place by quarry-index: served again.
                let rebuilt = try await runTool("quarry-index", [RepositoryPaths.samples.path, "--db", db, "--quiet"])
                try #require(rebuilt.status == 0, "\(rebuilt.stderr)")
                let back = await answers(client, "/search?q=valmora") { $0.status == 200 && hitCount($0) > 0 }
                #expect(back, "the rebuilt index is served without a restart")
                #expect(try await client.ids("q=quillfeather").isEmpty)
            }
        }
    }

    @Test func startedOnACorruptIndexItAnswers503WithTheReasonUntilAGoodOneIsThere() async throws {
        let corpus = try TestCorpus()
        let db = corpus.databasePath
        try FileManager.default.createDirectory(atPath: db, withIntermediateDirectories: true)
        try Data("this is not a xapian version file\n".utf8).write(to: URL(fileURLWithPath: db + "/iamglass"))
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let socket = directory.file("q.sock")
        let daemon = try Daemon.launch(db: db, socket: socket)
        do {
            let up = await waitForAnswer(socket)
            #expect(up, "quarryd on a corrupt index still answers; log:\n\(daemon.log)")
            try await withClient(socket) { client in
                for target in ["/health", "/search?q=valmora"] {
                    let answer = try await client.get(target)
                    let error = ErrorEnvelope.decode(answer)
                    #expect(answer.status == 503 && error?.code == "index_unavailable", "\(target): \(answer.text)")
                    #expect(error?.message.contains("cannot open the index") == true, "\(answer.text)")
                    #expect(!answer.text.contains(db), "no server path in the answer: \(answer.text)")
                }
            }
            #expect(daemon.log.contains("answering 503"), "the start-up log says why: \(daemon.log)")

            let good = corpus.root.appendingPathComponent("good-db").path
            let built = try await runTool("quarry-index", [RepositoryPaths.samples.path, "--db", good, "--quiet"])
            try #require(built.status == 0, "\(built.stderr)")
            try FileManager.default.removeItem(atPath: db)
            try FileManager.default.moveItem(atPath: good, toPath: db)
            try await withClient(socket) { client in
                let served = await answers(client, "/search?q=valmora") { $0.status == 200 && hitCount($0) > 0 }
                #expect(served, "a good index put in place is served without a restart")
            }
        } catch {
            await daemon.stop()
            throw error
        }
        let exit = await daemon.stop()
        #expect(exit.isClean, "\(exit); log:\n\(daemon.log)")
    }
}

/// Polls `target` until `consecutive` answers in a row satisfy `accept` (so every worker has seen the
/// change, whichever takes each request), for up to `seconds`.
private func answers(_ client: Client, _ target: String, consecutive: Int = 6, seconds: Double = 15,
                     _ accept: (HTTPResult) -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    var streak = 0
    while Date() < deadline {
        guard let answer = try? await client.get(target) else { return false }
        streak = accept(answer) ? streak + 1 : 0
        if streak >= consecutive { return true }
        try? await Task.sleep(for: .milliseconds(streak > 0 ? 20 : 100))
    }
    return false
}

/// Waits until quarryd answers anything on `socket`.
private func waitForAnswer(_ socket: String, seconds: Double = 30) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let client = try? await Client.connect(socket, timeout: 10) {
            let answered = (try? await client.get("/health")) != nil
            await client.close()
            if answered { return true }
        }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return false
}

private func hitCount(_ result: HTTPResult) -> Int {
    (try? JSONDecoder().decode(SearchResponse.self, from: Data(result.body)))?.hits.count ?? -1
}
