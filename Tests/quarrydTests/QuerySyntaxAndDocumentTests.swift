import Foundation
import QuarryCore
import Testing

/// Query syntax (fields, wildcards, booleans, spelling) and the non-search endpoints, against the real daemon.
@Suite("quarryd: query syntax and other endpoints", .timeLimit(.minutes(3)))
struct QuerySyntaxAndDocumentTests {
    let corpus = SampleCorpus.articles
    static let portStrikeWorld = "news/world/002-port-strike-halts-container-traffic.txt"
    static let portStrikeBusiness = "news/business/002-port-strike-halts-container-traffic.txt"

    @Test func querySyntax() async throws {
        try await withDaemon { daemon in
            try await withClient(daemon.socketPath) { client in
                try await spelling(client)
                try await fields(client)
                try await wildcard(client)
                try await booleans(client)
            }
        }
    }

    @Test func documentsSimilarStatsHealthMetrics() async throws {
        let db = try await SharedIndex.prepare()
        try await withDaemon(db: db) { daemon in
            try await withClient(daemon.socketPath) { client in
                try await documents(client)
                try await similar(client)
                try await stats(client, db: db)
                try await healthAndMetrics(client)
            }
        }
    }

    // MARK: - "did you mean"

    private func spelling(_ client: Client) async throws {
        for (typo, correction) in [("earthquak", "earthquake"), ("semiconducter", "semiconductor"),
                                   ("valmorra", "valmora")] {
            let response = try await client.search("q=\(typo)")
            #expect(response.suggestion == correction, "q=\(typo)")
        }
        let mixed = try await client.search("q=\(enc("earthquak valmora"))")
        #expect(mixed.suggestion == "earthquake valmora")
        let correct = try await client.search("q=earthquake")
        #expect(correct.suggestion == nil, "a correctly spelled query gets no suggestion")
        #expect(!correct.hits.isEmpty)
    }

    /// "Did you mean" corrects the misspelt word and leaves the words the index knows as they were typed.
    @Test func suggestionsChangeOnlyUnknownWords() async throws {
        try await withDaemon { daemon in
            try await withClient(daemon.socketPath) { client in
                // Every other word here is in the sample index ("Earthquake shakes coastal town of São Brás").
                for (query, expected) in [("earthquak coastal town", "earthquake coastal town"),
                                          ("earthquak shakes", "earthquake shakes"),
                                          ("\"earthquak shakes\"", "\"earthquake shakes\""),
                                          ("semiconducter material", "semiconductor material")] {
                    let known = XapianWords.words(query).filter { word in
                        SampleCorpus.ids { $0 == word }.isEmpty == false
                    }
                    #expect(known.count == XapianWords.words(query).count - 1, "\(query): one unknown word")
                    let response = try await client.search("q=\(enc(query))&limit=1")
                    #expect(response.suggestion == expected, "q=\(query)")
                }
            }
        }
    }

    // MARK: - title:, author:, category:

    private func fields(_ client: Client) async throws {
        let titleHits = try await client.search("q=\(enc("title:comet"))&limit=100&snippets=false")
        let expectedTitles = Set(corpus.filter { article in
            XapianWords.words(article.title).contains { ["comet", "comets", "comet's"].contains($0) }
        }.map(\.id))
        try #require(expectedTitles.count >= 2)
        #expect(Set(titleHits.hits.map(\.id)) == expectedTitles)
        #expect(titleHits.hits.allSatisfy { $0.title.lowercased().contains("comet") })
        // Without the field, body mentions count too.
        let anywhere = try await client.search("q=comet&limit=100&snippets=false")
        #expect(Set(anywhere.hits.map(\.id)).isSuperset(of: expectedTitles))

        let lindell = Set(corpus.filter { $0.author?.contains("Lindell") == true }.map(\.id))
        try #require(lindell.count == 2)
        let byAuthor = try await client.search("q=\(enc("author:lindell"))&limit=100&snippets=false")
        #expect(Set(byAuthor.hits.map(\.id)) == lindell)
        let byFullName = try await client.search("q=\(enc("author:\"Mara Lindell\""))&limit=100&snippets=false")
        #expect(Set(byFullName.hits.map(\.id)) == lindell)
        let authorIsNotText = try await client.search("q=lindell&limit=100&snippets=false")
        #expect(authorIsNotText.hits.isEmpty, "author names are searchable only with author:")

        let science = Set(corpus.filter { $0.category == "science" }.map(\.id))
        let category = try await client.search("q=\(enc("category:science"))&limit=100&snippets=false")
        #expect(Set(category.hits.map(\.id)) == science, "a lone boolean field filters everything")
        let cometScience = try await client.search("q=\(enc("comet category:science"))&limit=100&snippets=false")
        #expect(!cometScience.hits.isEmpty)
        #expect(cometScience.hits.allSatisfy { $0.category == "science" })
        #expect(Set(cometScience.hits.map(\.id)) == Set(anywhere.hits.filter { $0.category == "science" }.map(\.id)))
    }

    // MARK: - wildcard

    private func wildcard(_ client: Client) async throws {
        let expected = SampleCorpus.ids { $0.hasPrefix("comet") }
        try #require(expected.count >= 3)
        let response = try await client.search("q=\(enc("comet*"))&limit=100&snippets=false")
        #expect(Set(response.hits.map(\.id)) == expected)
        let upper = try await client.search("q=\(enc("COMET*"))&limit=100&snippets=false")
        #expect(Set(upper.hits.map(\.id)) == expected, "wildcards are lower-cased like words")
    }

    // MARK: - AND / OR / NOT

    private func booleans(_ client: Client) async throws {
        func ids(_ q: String) async throws -> Set<String> {
            Set(try await client.ids("q=\(enc(q))&limit=1000&snippets=false"))
        }
        let strike = try await ids("strike")
        let port = try await ids("port")
        let comet = try await ids("comet")
        try #require(!strike.isEmpty && !port.isEmpty && !comet.isEmpty)
        try #require(!strike.intersection(port).isEmpty && !strike.subtracting(port).isEmpty)

        #expect(try await ids("strike AND port") == strike.intersection(port))
        #expect(try await ids("strike NOT port") == strike.subtracting(port))
        #expect(try await ids("strike AND NOT port") == strike.subtracting(port))
        #expect(try await ids("strike OR comet") == strike.union(comet))
        #expect(try await ids("+strike -port") == strike.subtracting(port))
        #expect(try await ids("(strike OR comet) AND port") == strike.union(comet).intersection(port))
        #expect(try await ids("NOT strike") == Set(corpus.map(\.id)).subtracting(strike), "a pure NOT query")
    }

    // MARK: - /documents

    private func documents(_ client: Client) async throws {
        let id = Self.portStrikeWorld
        let expected = try #require(SampleCorpus.article(id))
        let stored = try client.decode(StoredArticle.self, try await client.get("/documents/" + encPath(id)))
        #expect(stored.id == id)
        #expect(stored.title == "Port strike halts container traffic")
        #expect(stored.category == "world")
        #expect(stored.date?.iso == "2024-03-03")
        #expect(stored.text == expected.text)
        #expect(stored.text.contains("Dock workers at Port Callan walked out"))
        #expect(!stored.text.contains("Published:"), "date lines are not text")

        let wire = try client.decode(StoredArticle.self, try await client.get("/documents/wire-003"))
        let wireExpected = try #require(SampleCorpus.article("wire-003"))
        #expect(wire.id == "wire-003")
        #expect(wire.title == wireExpected.title)
        #expect(wire.author == "Petra Vollmer")
        #expect(wire.category == "science")
        #expect(wire.date?.iso == "2023-05-03")
        #expect(wire.url == wireExpected.url)
        #expect(wire.text == wireExpected.text)

        for missing in ["/documents/news/world/no-such-article.txt", "/documents/wire-999"] {
            let result = try await client.get(missing)
            #expect(result.status == 404, "\(missing)")
            #expect(ErrorEnvelope.decode(result)?.code == "not_found", "\(missing)")
        }
    }

    // MARK: - /similar

    private func similar(_ client: Client) async throws {
        let id = Self.portStrikeWorld
        let response = try client.decode(SearchResponse.self, try await client.get("/similar/" + encPath(id)))
        #expect(!response.hits.isEmpty)
        #expect(!response.hits.contains { $0.id == id }, "an article is not similar to itself")
        #expect(response.hits.contains { $0.id == Self.portStrikeBusiness }, "the same story from business is similar")
        #expect(response.hits.map(\.rank) == Array(1...response.hits.count))

        let three = try client.decode(SearchResponse.self, try await client.get("/similar/" + encPath(id) + "?limit=3"))
        #expect(three.hits.count == 3)
        #expect(three.hits.map(\.id) == Array(response.hits.prefix(3).map(\.id)))

        let wire = try client.decode(SearchResponse.self, try await client.get("/similar/wire-006"))
        #expect(!wire.hits.isEmpty)
        #expect(!wire.hits.contains { $0.id == "wire-006" })

        let missing = try await client.get("/similar/wire-999")
        #expect(missing.status == 404)
        #expect(ErrorEnvelope.decode(missing)?.code == "not_found")
        let badLimit = try await client.get("/similar/wire-006?limit=-1")
        #expect(badLimit.status == 400)
        #expect(ErrorEnvelope.decode(badLimit)?.code == "bad_parameter")
    }

    // MARK: - /stats, /health, /metrics

    private func stats(_ client: Client, db: String) async throws {
        for query in ["q=valmora", "q=strike&limit=1"] { _ = try await client.search(query) }
        let result = try await client.get("/stats")
        #expect(result.status == 200)
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any])
        #expect(stats["documents"] as? Int == 32)
        #expect(stats["language"] as? String == "english")
        #expect((stats["terms"] as? Int ?? 0) > 100)
        #expect((stats["averageLength"] as? Double ?? 0) > 0)
        #expect((stats["revision"] as? Int ?? 0) >= 1)
        #expect(stats["path"] as? String == db)
        #expect(stats["uptimeSeconds"] is Int)
        #expect((stats["queriesServed"] as? Int ?? 0) >= 2, "the searches just made were counted")
    }

    private func healthAndMetrics(_ client: Client) async throws {
        let health = try await client.get("/health")
        #expect(health.status == 200)
        #expect(health.header("content-type")?.hasPrefix("application/json") == true)
        let body = try JSONSerialization.jsonObject(with: Data(health.body)) as? [String: Any]
        #expect(body?["status"] as? String == "ok")

        _ = try await client.search("q=valmora")
        let metrics = try await client.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("quarry_requests_total"))
        #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
    }
}
