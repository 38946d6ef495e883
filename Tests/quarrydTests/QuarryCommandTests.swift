import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

/// The `quarry` client binary, through a running daemon and in-process.
@Suite("quarry client binary", .timeLimit(.minutes(3)))
struct QuarryCommandTests {
    @Test func searchDocAndUnreachableSocket() async throws {
        let db = try await SharedIndex.prepare()
        try await withDaemon(db: db) { daemon in
            let socket = daemon.socketPath

            let viaDaemon = try await runTool("quarry", ["search", "--socket", socket, "valmora", "--json"])
            #expect(viaDaemon.status == 0, "\(viaDaemon.stderr)")
            let daemonResponse = try JSONDecoder().decode(SearchResponse.self, from: Data(viaDaemon.stdout.utf8))
            #expect(!daemonResponse.hits.isEmpty)
            #expect(daemonResponse.query == "valmora")

            let inProcess = try await runTool("quarry", ["search", "--db", db, "valmora", "--json"])
            #expect(inProcess.status == 0, "\(inProcess.stderr)")
            let localResponse = try JSONDecoder().decode(SearchResponse.self, from: Data(inProcess.stdout.utf8))
            #expect(localResponse.hits.map(\.id) == daemonResponse.hits.map(\.id), "--db answers as the daemon does")
            #expect(localResponse.total == daemonResponse.total)

            // The same with options, and against what the HTTP API says.
            let options = ["--category", "world", "--category", "business", "--sort=-date", "--limit", "5",
                           "--facets", "category,month", "--no-snippets"]
            let optionsViaDaemon = try await runTool("quarry", ["search", "--socket", socket, "strike", "--json"] + options)
            let optionsInProcess = try await runTool("quarry", ["search", "--db", db, "strike", "--json"] + options)
            #expect(optionsViaDaemon.status == 0 && optionsInProcess.status == 0,
                    "\(optionsViaDaemon.stderr) \(optionsInProcess.stderr)")
            let a = try JSONDecoder().decode(SearchResponse.self, from: Data(optionsViaDaemon.stdout.utf8))
            let b = try JSONDecoder().decode(SearchResponse.self, from: Data(optionsInProcess.stdout.utf8))
            #expect(a.hits.map(\.id) == b.hits.map(\.id))
            #expect(a.facets == b.facets)
            #expect(a.hits.allSatisfy { $0.snippet == nil && ["world", "business"].contains($0.category ?? "") })
            try await withClient(socket) { client in
                let http = try await client.search(
                    "q=strike&category=world,business&sort=-date&limit=5&facets=category,month&snippets=false")
                #expect(http.hits.map(\.id) == a.hits.map(\.id))
            }

            // Plain text output.
            let text = try await runTool("quarry", ["search", "--socket", socket, "valmora", "--limit", "3"])
            #expect(text.status == 0)
            #expect(text.stdout.contains(daemonResponse.hits[0].id))
            #expect(!text.stdout.contains("\u{1B}["), "no terminal escapes when stdout is not a terminal")

            let id = "news/world/002-port-strike-halts-container-traffic.txt"
            let doc = try await runTool("quarry", ["doc", id, "--socket", socket])
            #expect(doc.status == 0, "\(doc.stderr)")
            #expect(doc.stdout.contains("Port strike halts container traffic"))
            #expect(doc.stdout.contains("id: \(id)"))
            #expect(doc.stdout.contains("Dock workers at Port Callan walked out"))
            #expect(doc.stdout.contains("2024-03-03"))

            let wire = try await runTool("quarry", ["doc", "wire-003", "--socket", socket, "--json"])
            #expect(wire.status == 0)
            let article = try JSONDecoder().decode(StoredArticle.self, from: Data(wire.stdout.utf8))
            #expect(article.author == "Petra Vollmer")

            let missing = try await runTool("quarry", ["doc", "wire-999", "--socket", socket])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("not_found"), "\(missing.stderr)")

            let health = try await runTool("quarry", ["health", "--socket", socket])
            #expect(health.status == 0)
            #expect(health.stdout == "ok\n", "\(health.stdout)")
            let stats = try await runTool("quarry", ["stats", "--socket", socket, "--json"])
            #expect(stats.status == 0)
            let statsObject = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
            #expect(statsObject?["documents"] as? Int == 32)
            let humanStats = try await runTool("quarry", ["stats", "--socket", socket])
            #expect(humanStats.status == 0)
            #expect(humanStats.stdout.contains("documents   32"), "\(humanStats.stdout)")
            #expect(humanStats.stdout.contains("language    english, stemming some"), "\(humanStats.stdout)")
            let similar = try await runTool("quarry", ["similar", id, "--socket", socket, "--limit", "3", "--json"])
            #expect(similar.status == 0)
            let similarHits = try JSONDecoder().decode(SearchResponse.self, from: Data(similar.stdout.utf8)).hits
            #expect(similarHits.count == 3 && !similarHits.contains { $0.id == id })

            let rejected = try await runTool("quarry", ["search", "--socket", socket, "--mode", "syntax", "AND"])
            #expect(rejected.status == 1)
            #expect(rejected.stderr.contains("query_rejected"), "\(rejected.stderr)")
        }

        let nowhere = try ShortTempDirectory()
        defer { nowhere.remove() }
        let absent = nowhere.file("nonexistent.sock")
        let unreachable = try await runTool("quarry", ["search", "--socket", absent, "x"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains(absent), "the message names the socket: \(unreachable.stderr)")
        #expect(unreachable.stdout.isEmpty)

        let literal = try await runTool("quarry", ["search", "--socket", "/tmp/nonexistent.sock", "x"])
        if !pathExists("/tmp/nonexistent.sock") {
            #expect(literal.status == 1)
            #expect(literal.stderr.contains("/tmp/nonexistent.sock"), "\(literal.stderr)")
        }
    }

    /// `quarry --help` shows `--sort -date`; that spelling must parse as it does for `quarry search --sort=-date`.
    @Test func theDocumentedSortExampleParses() async throws {
        let db = try await SharedIndex.prepare()
        let help = try await runTool("quarry", ["--help"])
        let helpText = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(helpText.contains("--sort -date"), "the example this test follows")
        let spaced = try await runTool("quarry", ["search", "--db", db, "strike", "--sort", "-date", "--json"])
        #expect(spaced.status == 0, "quarry search --sort -date: \(spaced.stderr)")
        let joined = try await runTool("quarry", ["search", "--db", db, "strike", "--sort=-date", "--json"])
        #expect(joined.status == 0, "\(joined.stderr)")
        if spaced.status == 0 && joined.status == 0 {
            let a = try JSONDecoder().decode(SearchResponse.self, from: Data(spaced.stdout.utf8))
            let b = try JSONDecoder().decode(SearchResponse.self, from: Data(joined.stdout.utf8))
            #expect(a.hits.map(\.id) == b.hits.map(\.id))
        }
    }

    /// Ids are relative paths and may hold spaces, '#', '%', '+', '?' and non-ASCII: they survive the URL path,
    /// through the HTTP API (percent-encoded) and through `quarry doc`.
    @Test func oddIdsRoundTrip() async throws {
        let corpus = try TestCorpus()
        let odd = ["world/a b#1%25 ü?.txt", "world/x+y.txt", "world/Ærø & Åland.txt"]
        for (index, id) in odd.enumerated() {
            try corpus.write(id, TestCorpus.article(
                title: "Odd name story \(index)", standfirst: "A standfirst about quixotic llamas.",
                paragraphs: ["Body text \(index) about quixotic llamas grazing."], dateLine: "Published: 2 May 2024"))
        }
        let indexed = try await runTool("quarry-index", [corpus.corpus.path, "--db", corpus.databasePath, "--quiet"])
        try #require(indexed.status == 0, "\(indexed.stderr)")
        try await withDaemon(db: corpus.databasePath) { daemon in
            try await withClient(daemon.socketPath) { client in
                let found = try await client.ids("q=llamas&limit=10")
                #expect(Set(found) == Set(odd))
                for id in odd {
                    let stored = try client.decode(StoredArticle.self, try await client.get("/documents/" + encPath(id)))
                    #expect(stored.id == id)
                    // Found (not 404): the id resolved. Three near-identical articles have no distinctive terms in common,
                    // so the list itself may be empty.
                    let similar = try client.decode(SearchResponse.self, try await client.get("/similar/" + encPath(id)))
                    #expect(!similar.hits.contains { $0.id == id }, "similar to \(id)")
                }
            }
            for id in odd {
                let doc = try await runTool("quarry", ["doc", id, "--socket", daemon.socketPath])
                #expect(doc.status == 0, "quarry doc \(id): \(doc.stderr)")
                #expect(doc.stdout.contains("id: \(id)"), "quarry doc \(id): \(doc.stdout)")
            }
        }
    }

    /// A socket this user may not open is reported as a permission problem, naming the socket, not as "not running".
    @Test func aSocketWeMayNotOpenIsReportedAsPermissionDenied() async throws {
        try await withDaemon { daemon in
            let socket = daemon.socketPath
            if !Unprivileged.isNeeded { chmod(socket, 0) }
            defer { if !Unprivileged.isNeeded { chmod(socket, 0o600) } }
            let (program, arguments) = Unprivileged.command("quarry", ["health", "--socket", socket])
            let output = try await offloadThrowing { try Executables.run(program, arguments) }
            #expect(output.status == 1)
            #expect(output.stderr.contains("permission denied") && output.stderr.contains(socket), "\(output.stderr)")
        }
    }
}
