import Foundation
import QuarryCore
import Testing

/// The boolean queries checked, each with the set it must match, made from those of its words.
typealias BooleanSets = (strike: Set<String>, port: Set<String>, comet: Set<String>, all: Set<String>)

let booleanCases: [(expression: String, expected: @Sendable (BooleanSets) -> Set<String>)] = [
    ("strike AND port", { $0.strike.intersection($0.port) }),
    ("strike NOT port", { $0.strike.subtracting($0.port) }),
    ("strike AND NOT port", { $0.strike.subtracting($0.port) }),
    ("strike OR comet", { $0.strike.union($0.comet) }),
    ("+strike -port", { $0.strike.subtracting($0.port) }),
    ("(strike OR comet) AND port", { $0.strike.union($0.comet).intersection($0.port) }),
    ("NOT strike", { $0.all.subtracting($0.strike) }),  // a pure NOT query
]

/// Query syntax (fields, wildcards, booleans, spelling) and the non-search endpoints, against the real daemon.
@Suite("quarryd: query syntax and other endpoints", .sharedDaemon, .timeLimit(.minutes(3)))
struct QuerySyntaxAndDocumentTests {
    static var corpus: [Article] { SampleCorpus.articles }
    static let portStrikeWorld = "news/world/002-port-strike-halts-container-traffic.txt"
    static let portStrikeBusiness = "news/business/002-port-strike-halts-container-traffic.txt"

    @Test(arguments: [("earthquak", "earthquake"), ("semiconducter", "semiconductor"), ("valmorra", "valmora"),
                      ("earthquak valmora", "earthquake valmora")].map { typo, correction in
        DaemonCheck("q=\(typo) suggests \(correction)") { try await QuerySyntaxAndDocumentTests.suggestsCorrection($0, typo: typo, correction: correction) }
    } + [DaemonCheck("a correct query gets no suggestion", QuerySyntaxAndDocumentTests.noSuggestion)])
    func spelling(_ check: DaemonCheck) async throws { try await check.perform() }

    /// "Did you mean" corrects the misspelt word and leaves the words the index knows as they were typed.
    @Test(arguments: [("earthquak coastal town", "earthquake coastal town"),
                      ("earthquak shakes", "earthquake shakes"),
                      ("\"earthquak shakes\"", "\"earthquake shakes\""),
                      ("semiconducter material", "semiconductor material")].map { query, expected in
        DaemonCheck("q=\(query) suggests \(expected)") { try await QuerySyntaxAndDocumentTests.suggestion($0, query: query, expected: expected) }
    })
    func suggestionsChangeOnlyUnknownWords(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: [
        DaemonCheck("title:comet", QuerySyntaxAndDocumentTests.titleField),
        DaemonCheck("author:", QuerySyntaxAndDocumentTests.authorField),
        DaemonCheck("category:", QuerySyntaxAndDocumentTests.categoryField),
        DaemonCheck("comet*", QuerySyntaxAndDocumentTests.wildcard),
    ] + booleanCases.map { expression, _ in
        DaemonCheck(expression) { try await QuerySyntaxAndDocumentTests.boolean($0, expression) }
    })
    func querySyntax(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: [
        DaemonCheck("/documents of a text file", QuerySyntaxAndDocumentTests.documentOfText),
        DaemonCheck("/documents of a JSON line", QuerySyntaxAndDocumentTests.documentOfJSONLine),
        DaemonCheck("/documents of missing ids", QuerySyntaxAndDocumentTests.missingDocuments),
        DaemonCheck("/similar", QuerySyntaxAndDocumentTests.similar),
        DaemonCheck("/similar?limit=3", QuerySyntaxAndDocumentTests.similarLimit),
        DaemonCheck("/similar of a JSON line", QuerySyntaxAndDocumentTests.similarWire),
        DaemonCheck("/similar of a missing id and a bad limit", QuerySyntaxAndDocumentTests.similarErrors),
        DaemonCheck("/stats", QuerySyntaxAndDocumentTests.stats),
        DaemonCheck("/health", QuerySyntaxAndDocumentTests.health),
        DaemonCheck("/metrics", QuerySyntaxAndDocumentTests.metrics),
    ])
    func documentsSimilarStatsHealthMetrics(_ check: DaemonCheck) async throws { try await check.perform() }

    // MARK: - "did you mean"

    static func suggestsCorrection(_ client: Client, typo: String, correction: String) async throws {
        let response = try await client.search("q=\(enc(typo))")
        #expect(response.suggestion == correction, "q=\(typo)")
    }

    static func noSuggestion(_ client: Client) async throws {
        let correct = try await client.search("q=earthquake")
        #expect(correct.suggestion == nil, "a correctly spelled query gets no suggestion")
        #expect(!correct.hits.isEmpty)
    }

    static func suggestion(_ client: Client, query: String, expected: String) async throws {
        // Every other word here is in the sample index ("Earthquake shakes coastal town of São Brás").
        let known = XapianWords.words(query).filter { word in
            SampleCorpus.ids { $0 == word }.isEmpty == false
        }
        #expect(known.count == XapianWords.words(query).count - 1, "\(query): one unknown word")
        let response = try await client.search("q=\(enc(query))&limit=1")
        #expect(response.suggestion == expected, "q=\(query)")
    }

    // MARK: - title:, author:, category:

    static var cometTitles: Set<String> {
        Set(corpus.filter { article in
            XapianWords.words(article.title).contains { ["comet", "comets", "comet's"].contains($0) }
        }.map(\.id))
    }

    static func titleField(_ client: Client) async throws {
        let titleHits = try await client.search("q=\(enc("title:comet"))&limit=100&snippets=false")
        let expectedTitles = cometTitles
        try #require(expectedTitles.count >= 2)
        #expect(Set(titleHits.hits.map(\.id)) == expectedTitles)
        #expect(titleHits.hits.allSatisfy { $0.title.lowercased().contains("comet") })
        // Without the field, body mentions count too.
        let anywhere = try await client.search("q=comet&limit=100&snippets=false")
        #expect(Set(anywhere.hits.map(\.id)).isSuperset(of: expectedTitles))
    }

    static func authorField(_ client: Client) async throws {
        let lindell = Set(corpus.filter { $0.author?.contains("Lindell") == true }.map(\.id))
        try #require(lindell.count == 2)
        let byAuthor = try await client.search("q=\(enc("author:lindell"))&limit=100&snippets=false")
        #expect(Set(byAuthor.hits.map(\.id)) == lindell)
        let byFullName = try await client.search("q=\(enc("author:\"Mara Lindell\""))&limit=100&snippets=false")
        #expect(Set(byFullName.hits.map(\.id)) == lindell)
        let authorIsNotText = try await client.search("q=lindell&limit=100&snippets=false")
        #expect(authorIsNotText.hits.isEmpty, "author names are searchable only with author:")
    }

    static func categoryField(_ client: Client) async throws {
        let science = Set(corpus.filter { $0.category == "science" }.map(\.id))
        let category = try await client.search("q=\(enc("category:science"))&limit=100&snippets=false")
        #expect(Set(category.hits.map(\.id)) == science, "a lone boolean field filters everything")
        let anywhere = try await client.search("q=comet&limit=100&snippets=false")
        let cometScience = try await client.search("q=\(enc("comet category:science"))&limit=100&snippets=false")
        #expect(!cometScience.hits.isEmpty)
        #expect(cometScience.hits.allSatisfy { $0.category == "science" })
        #expect(Set(cometScience.hits.map(\.id)) == Set(anywhere.hits.filter { $0.category == "science" }.map(\.id)))
    }

    // MARK: - wildcard

    static func wildcard(_ client: Client) async throws {
        let expected = SampleCorpus.ids { $0.hasPrefix("comet") }
        try #require(expected.count >= 3)
        let response = try await client.search("q=\(enc("comet*"))&limit=100&snippets=false")
        #expect(Set(response.hits.map(\.id)) == expected)
        let upper = try await client.search("q=\(enc("COMET*"))&limit=100&snippets=false")
        #expect(Set(upper.hits.map(\.id)) == expected, "wildcards are lower-cased like words")
    }

    // MARK: - AND / OR / NOT

    static func boolean(_ client: Client, _ expression: String) async throws {
        func ids(_ q: String) async throws -> Set<String> {
            Set(try await client.ids("q=\(enc(q))&limit=1000&snippets=false"))
        }
        let strike = try await ids("strike")
        let port = try await ids("port")
        let comet = try await ids("comet")
        try #require(!strike.isEmpty && !port.isEmpty && !comet.isEmpty)
        try #require(!strike.intersection(port).isEmpty && !strike.subtracting(port).isEmpty)
        let expected = try #require(booleanCases.first { $0.expression == expression }).expected(
            (strike, port, comet, Set(corpus.map(\.id))))
        #expect(try await ids(expression) == expected, "\(expression)")
    }

    // MARK: - /documents

    static func documentOfText(_ client: Client) async throws {
        let id = portStrikeWorld
        let expected = try #require(SampleCorpus.article(id))
        let stored = try client.decode(StoredArticle.self, try await client.get("/documents/" + encPath(id)))
        #expect(stored.id == id)
        #expect(stored.title == "Port strike halts container traffic")
        #expect(stored.category == "world")
        #expect(stored.date?.iso == "2024-03-03")
        #expect(stored.text == expected.text)
        #expect(stored.text.contains("Dock workers at Port Callan walked out"))
        #expect(!stored.text.contains("Published:"), "date lines are not text")
    }

    static func documentOfJSONLine(_ client: Client) async throws {
        let wire = try client.decode(StoredArticle.self, try await client.get("/documents/wire-003"))
        let wireExpected = try #require(SampleCorpus.article("wire-003"))
        #expect(wire.id == "wire-003")
        #expect(wire.title == wireExpected.title)
        #expect(wire.author == "Petra Vollmer")
        #expect(wire.category == "science")
        #expect(wire.date?.iso == "2023-05-03")
        #expect(wire.url == wireExpected.url)
        #expect(wire.text == wireExpected.text)
    }

    static func missingDocuments(_ client: Client) async throws {
        for missing in ["/documents/news/world/no-such-article.txt", "/documents/wire-999"] {
            let result = try await client.get(missing)
            #expect(result.status == 404, "\(missing)")
            #expect(ErrorEnvelope.decode(result)?.code == "not_found", "\(missing)")
        }
    }

    // MARK: - /similar

    static func similar(_ client: Client) async throws {
        let id = portStrikeWorld
        let response = try client.decode(SearchResponse.self, try await client.get("/similar/" + encPath(id)))
        #expect(!response.hits.isEmpty)
        #expect(!response.hits.contains { $0.id == id }, "an article is not similar to itself")
        #expect(response.hits.contains { $0.id == portStrikeBusiness }, "the same story from business is similar")
        #expect(response.hits.map(\.rank) == Array(1...response.hits.count))
    }

    static func similarLimit(_ client: Client) async throws {
        let id = portStrikeWorld
        let response = try client.decode(SearchResponse.self, try await client.get("/similar/" + encPath(id)))
        let three = try client.decode(SearchResponse.self, try await client.get("/similar/" + encPath(id) + "?limit=3"))
        #expect(three.hits.count == 3)
        #expect(three.hits.map(\.id) == Array(response.hits.prefix(3).map(\.id)))
    }

    static func similarWire(_ client: Client) async throws {
        let wire = try client.decode(SearchResponse.self, try await client.get("/similar/wire-006"))
        #expect(!wire.hits.isEmpty)
        #expect(!wire.hits.contains { $0.id == "wire-006" })
    }

    static func similarErrors(_ client: Client) async throws {
        let missing = try await client.get("/similar/wire-999")
        #expect(missing.status == 404)
        #expect(ErrorEnvelope.decode(missing)?.code == "not_found")
        let badLimit = try await client.get("/similar/wire-006?limit=-1")
        #expect(badLimit.status == 400)
        #expect(ErrorEnvelope.decode(badLimit)?.code == "bad_parameter")
    }

    // MARK: - /stats, /health, /metrics

    static func stats(_ client: Client) async throws {
        let db = try SharedIndex.databasePath()
        let launched = try SharedDaemon.get().launched
        for query in ["q=valmora", "q=strike&limit=1"] { _ = try await client.search(query) }
        let result = try await client.get("/stats")
        let sinceLaunch = Int((ContinuousClock.now - launched).components.seconds)
        #expect(result.status == 200)
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any])
        #expect(stats["documents"] as? Int == 32)
        #expect(stats["language"] as? String == "english")
        #expect(stats["stemming"] as? String == "some")
        #expect((stats["terms"] as? Int ?? 0) > 100)
        #expect((stats["averageLength"] as? Double ?? 0) > 0)
        #expect((stats["revision"] as? Int ?? 0) >= 1)
        #expect(stats["path"] == nil && !String(decoding: result.body, as: UTF8.self).contains(db),
                "no server path in /stats")
        let uptime = try #require(stats["uptimeSeconds"] as? Int)
        #expect(uptime >= 0 && uptime <= sinceLaunch, "uptime \(uptime) s, launched \(sinceLaunch) s ago")
        #expect((stats["queriesServed"] as? Int ?? 0) >= 2, "the searches just made were counted")
    }

    static func health(_ client: Client) async throws {
        let health = try await client.get("/health")
        #expect(health.status == 200)
        #expect(health.header("content-type")?.hasPrefix("application/json") == true)
        let body = try JSONSerialization.jsonObject(with: Data(health.body)) as? [String: Any]
        #expect(body?["status"] as? String == "ok")
    }

    static func metrics(_ client: Client) async throws {
        _ = try await client.search("q=valmora")
        let metrics = try await client.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("quarry_requests_total"))
        #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
    }
}
