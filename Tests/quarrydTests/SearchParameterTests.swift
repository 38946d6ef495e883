import Foundation
import QuarryCore
import Testing

/// Every parameter of `GET /search` (and `POST /search`), against the real daemon over the sample index.
@Suite("quarryd: search parameters", .sharedDaemon, .timeLimit(.minutes(3)))
struct SearchParameterTests {
    static var corpus: [Article] { SampleCorpus.articles }

    @Test(arguments: [
        DaemonCheck("limit and offset page through the hits", SearchParameterTests.pages),
        DaemonCheck("limit=0 still counts", SearchParameterTests.limitZero),
        DaemonCheck("offset past the end", SearchParameterTests.pastTheEnd),
        DaemonCheck("default limit is 10", SearchParameterTests.defaultLimit),
    ])
    func paging(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: [
        DaemonCheck("category=sport", SearchParameterTests.oneCategory),
        DaemonCheck("category narrows a text query", SearchParameterTests.categoryNarrowsText),
        DaemonCheck("unknown category", SearchParameterTests.unknownCategory),
    ] + ["category=sport&category=science", "category=sport,science", "category=sport,%20science",
         "categories=science,sport", "category=sport&categories=science"].map { form in
        DaemonCheck(form) { try await SearchParameterTests.twoCategories($0, form: form) }
    })
    func categories(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: ["from=2024-01-01&to=2024-03-31", "from=20240101&to=20240331"].map { spelling in
        DaemonCheck(spelling) { try await SearchParameterTests.dateRange($0, spelling: spelling) }
    } + [
        DaemonCheck("a one-day range", SearchParameterTests.oneDay),
        DaemonCheck("one-sided ranges", SearchParameterTests.oneSided),
    ])
    func dates(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: [
        DaemonCheck("sort=date and sort=-date", SearchParameterTests.sorting),
        DaemonCheck("paging a date sort", SearchParameterTests.pagingSorted),
        DaemonCheck("sort=newest is refused", SearchParameterTests.badSort),
    ])
    func sort(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: [1, 0, 5].map { limit in
        DaemonCheck("facets=category,month&limit=\(limit)") { try await SearchParameterTests.facetCounts($0, limit: limit) }
    } + [
        DaemonCheck("facets repeated", SearchParameterTests.repeatedFacets),
        DaemonCheck("no facets unless asked", SearchParameterTests.noFacets),
        DaemonCheck("facets=author is refused", SearchParameterTests.unknownFacet),
    ])
    func facets(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: [
        DaemonCheck("snippets highlight the word", SearchParameterTests.snippetsHighlight),
        DaemonCheck("snippets highlight a phrase", SearchParameterTests.snippetsPhrase),
        DaemonCheck("snippets=false", SearchParameterTests.snippetsOff),
    ] + ["0", "no", "FALSE"].map { spelling in
        DaemonCheck("snippets=\(spelling)") { try await SearchParameterTests.snippetsOff($0, spelling: spelling) }
    } + [
        DaemonCheck("snippets=maybe is refused", SearchParameterTests.badSnippets),
    ])
    func snippets(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: [DaemonCheck("collapse=true keeps one of two identical stories", SearchParameterTests.collapseTwins)])
    func collapse(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: ["30", "365", "3650"].map { halfLife in
        DaemonCheck("recency=\(halfLife) on dated hits") { try await SearchParameterTests.recencyOnDated($0, halfLife: halfLife) }
    } + [
        DaemonCheck("recency=3650 puts the newest first", SearchParameterTests.recencyNewestFirst),
    ] + ["30", "3650"].map { halfLife in
        DaemonCheck("recency=\(halfLife) only adds to dated hits") { try await SearchParameterTests.recencyScores($0, halfLife: halfLife) }
    } + [
        DaemonCheck("newer stories gain more", SearchParameterTests.recencyGains),
    ] + ["0", "-5", "soon", "nan", "inf"].map { bad in
        DaemonCheck("recency=\(bad) is refused") { try await SearchParameterTests.badRecency($0, bad) }
    })
    func recency(_ check: DaemonCheck) async throws { try await check.perform() }

    @Test(arguments: SearchParameterTests.postPairs.map { pair in
        DaemonCheck("POST \(pair.post)") { try await SearchParameterTests.compareGetAndPost($0, get: pair.get, post: pair.post) }
    })
    func postMatchesGet(_ check: DaemonCheck) async throws { try await check.perform() }

    // MARK: - limit and offset

    static func pages(_ client: Client) async throws {
        // "the" is in nearly every article: plenty to page through.
        let whole = try await client.search("q=the&limit=21&snippets=false")
        try #require(whole.hits.count == 21, "need 21 hits for three pages; total \(whole.total)")
        #expect(whole.hits.map(\.rank) == Array(1...21))

        var seen: [String] = []
        for page in 0..<3 {
            let response = try await client.search("q=the&limit=7&offset=\(page * 7)&snippets=false")
            #expect(response.hits.count == 7)
            #expect(response.hits.map(\.rank) == Array((page * 7 + 1)...(page * 7 + 7)), "ranks continue across pages")
            let ids = response.hits.map(\.id)
            #expect(Set(ids).isDisjoint(with: seen), "page \(page) repeats a hit of an earlier page")
            #expect(response.total == whole.total, "every page reports the same total")
            seen += ids
        }
        #expect(seen == whole.hits.map(\.id), "three pages of 7 are the first 21 hits, in order")
    }

    static func limitZero(_ client: Client) async throws {
        let empty = try await client.search("q=the&limit=0")
        #expect(empty.hits.isEmpty)
        #expect(empty.total.lower > 0, "limit=0 still counts matches")
    }

    static func pastTheEnd(_ client: Client) async throws {
        let pastTheEnd = try await client.search("q=the&offset=1000")
        #expect(pastTheEnd.hits.isEmpty)
    }

    static func defaultLimit(_ client: Client) async throws {
        let defaults = try await client.search("q=the")
        #expect(defaults.hits.count == 10, "the default page size is 10")
    }

    // MARK: - category

    static func oneCategory(_ client: Client) async throws {
        let expectedSport = Set(corpus.filter { $0.category == "sport" }.map(\.id))
        try #require(!expectedSport.isEmpty)
        let sport = try await client.search("q=&category=sport&limit=100&snippets=false")
        #expect(Set(sport.hits.map(\.id)) == expectedSport)
        #expect(sport.hits.allSatisfy { $0.category == "sport" })
    }

    static func twoCategories(_ client: Client, form: String) async throws {
        let expectedSport = Set(corpus.filter { $0.category == "sport" }.map(\.id))
        let expectedBoth = Set(corpus.filter { $0.category == "sport" || $0.category == "science" }.map(\.id))
        try #require(!expectedSport.isEmpty && expectedBoth.count > expectedSport.count)
        let both = try await client.search("q=&\(form)&limit=100&snippets=false")
        #expect(Set(both.hits.map(\.id)) == expectedBoth, "\(form)")
        #expect(both.total.estimated == expectedBoth.count, "\(form)")
    }

    /// A category narrows a text query without changing what it matches inside the category.
    static func categoryNarrowsText(_ client: Client) async throws {
        let strike = try await client.search("q=strike&limit=100&snippets=false")
        let worldStrike = try await client.search("q=strike&category=world&limit=100&snippets=false")
        #expect(!worldStrike.hits.isEmpty)
        #expect(worldStrike.hits.allSatisfy { $0.category == "world" })
        #expect(Set(worldStrike.hits.map(\.id)) == Set(strike.hits.filter { $0.category == "world" }.map(\.id)))
    }

    static func unknownCategory(_ client: Client) async throws {
        let none = try await client.search("q=strike&category=no-such-category")
        #expect(none.hits.isEmpty)
    }

    // MARK: - from / to

    static func dateRange(_ client: Client, spelling: String) async throws {
        let from = try #require(ArticleDate(yyyymmdd: "2024-01-01"))
        let to = try #require(ArticleDate(yyyymmdd: "2024-03-31"))
        let expected = Set(corpus.filter { $0.date.map { $0 >= from && $0 <= to } ?? false }.map(\.id))
        try #require(!expected.isEmpty)
        let response = try await client.search("q=&\(spelling)&limit=100&snippets=false")
        #expect(Set(response.hits.map(\.id)) == expected, "\(spelling)")
        #expect(response.hits.allSatisfy { hit in hit.date.map { $0 >= from && $0 <= to } ?? false })
    }

    /// Both ends are inclusive: a one-day range holds that day's articles.
    static func oneDay(_ client: Client) async throws {
        let day = try #require(ArticleDate(yyyymmdd: "2024-03-03"))
        let sameDay = Set(corpus.filter { $0.date == day }.map(\.id))
        try #require(sameDay.count >= 2, "the two port strike articles are dated 2024-03-03")
        let oneDay = try await client.search("q=&from=2024-03-03&to=2024-03-03&limit=100")
        #expect(Set(oneDay.hits.map(\.id)) == sameDay)
    }

    /// One-sided ranges with a text query.
    static func oneSided(_ client: Client) async throws {
        let day = try #require(ArticleDate(yyyymmdd: "2024-03-03"))
        let strike = try await client.search("q=strike&limit=100&snippets=false")
        let since = try await client.search("q=strike&from=2024-03-03&limit=100&snippets=false")
        #expect(Set(since.hits.map(\.id)) == Set(strike.hits.filter { $0.date.map { $0 >= day } ?? false }.map(\.id)))
        let until = try await client.search("q=strike&to=2024-03-03&limit=100&snippets=false")
        #expect(Set(until.hits.map(\.id)) == Set(strike.hits.filter { $0.date.map { $0 <= day } ?? false }.map(\.id)))
        #expect(!since.hits.isEmpty && !until.hits.isEmpty)
    }

    // MARK: - sort

    static let sortQuery = "q=\(enc("strike OR floods OR valmora OR comet"))&snippets=false"

    static func sorting(_ client: Client) async throws {
        let relevance = try await client.search(sortQuery + "&limit=100")
        let oldest = try await client.search(sortQuery + "&limit=100&sort=date")
        let newest = try await client.search(sortQuery + "&limit=100&sort=-date")
        try #require(relevance.hits.count >= 8)
        #expect(Set(oldest.hits.map(\.id)) == Set(relevance.hits.map(\.id)), "sorting keeps the match set")
        #expect(Set(newest.hits.map(\.id)) == Set(relevance.hits.map(\.id)))

        let ascending = oldest.hits.compactMap(\.date)
        let descending = newest.hits.compactMap(\.date)
        #expect(ascending.count >= 6)
        #expect(ascending == ascending.sorted(), "sort=date: dated hits oldest first")
        #expect(descending == descending.sorted(by: >), "sort=-date: dated hits newest first")
        #expect(oldest.hits.map(\.rank) == Array(1...oldest.hits.count))
    }

    /// Paging a date sort continues the same order.
    static func pagingSorted(_ client: Client) async throws {
        let newest = try await client.search(sortQuery + "&limit=100&sort=-date")
        let firstPage = try await client.search(sortQuery + "&sort=-date&limit=4")
        let secondPage = try await client.search(sortQuery + "&sort=-date&limit=4&offset=4")
        #expect(firstPage.hits.map(\.id) + secondPage.hits.map(\.id) == Array(newest.hits.prefix(8).map(\.id)))
    }

    static func badSort(_ client: Client) async throws {
        let bad = try await client.get("/search?q=strike&sort=newest")
        #expect(bad.status == 400)
        #expect(ErrorEnvelope.decode(bad)?.code == "bad_parameter")
    }

    // MARK: - facets

    static let facetText = enc("strike OR floods OR comet")

    static func facetCounts(_ client: Client, limit: Int) async throws {
        let all = try await client.search("q=\(facetText)&limit=1000&snippets=false")
        try #require(all.hits.count >= 8)
        // Every sample article has a category, so the category counts must add up to the whole match.
        #expect(all.hits.allSatisfy { $0.category != nil })

        let response = try await client.search("q=\(facetText)&limit=\(limit)&facets=category,month&snippets=false")
        let categoryCounts = try #require(response.facets?["category"], "limit=\(limit): no category facet")
        let monthCounts = try #require(response.facets?["month"], "limit=\(limit): no month facet")

        #expect(response.total.estimated == all.hits.count, "limit=\(limit)")
        #expect(categoryCounts.map(\.count).reduce(0, +) == all.hits.count,
                "limit=\(limit): category counts cover the whole match set, not just the page")
        var expectedCategories: [String: Int] = [:]
        for hit in all.hits { expectedCategories[hit.category!, default: 0] += 1 }
        #expect(Dictionary(uniqueKeysWithValues: categoryCounts.map { ($0.value, $0.count) }) == expectedCategories,
                "limit=\(limit)")

        var expectedMonths: [String: Int] = [:]
        for hit in all.hits { if let date = hit.date { expectedMonths[String(date.iso.prefix(7)), default: 0] += 1 } }
        #expect(Dictionary(uniqueKeysWithValues: monthCounts.map { ($0.value, $0.count) }) == expectedMonths,
                "limit=\(limit): month counts are per YYYY-MM over the dated matches")
    }

    static func repeatedFacets(_ client: Client) async throws {
        let repeated = try await client.search("q=\(facetText)&limit=1&facets=category&facets=month")
        #expect(Set(repeated.facets?.keys.map { $0 } ?? []) == ["category", "month"])
    }

    static func noFacets(_ client: Client) async throws {
        let noFacets = try await client.search("q=\(facetText)&limit=1")
        #expect(noFacets.facets == nil)
    }

    static func unknownFacet(_ client: Client) async throws {
        let unknown = try await client.get("/search?q=strike&facets=author")
        #expect(unknown.status == 400)
        #expect(ErrorEnvelope.decode(unknown)?.code == "bad_parameter")
    }

    // MARK: - snippets

    static func snippetsHighlight(_ client: Client) async throws {
        let with = try await client.search("q=valmora&limit=5")
        try #require(!with.hits.isEmpty)
        for hit in with.hits {
            let snippet = try #require(hit.snippet, "\(hit.id) has no snippet")
            let marked = highlighted(snippet)
            #expect(!marked.isEmpty, "\(hit.id): no <b>…</b> in \(snippet)")
            #expect(marked.allSatisfy { $0.lowercased().hasPrefix("valmora") }, "\(hit.id): \(marked)")
        }
    }

    /// A phrase is highlighted where the text (snippets come from the text, not the title) holds it.
    static func snippetsPhrase(_ client: Client) async throws {
        let phrase = try await client.search("q=\(enc("\"port strike\""))&limit=10&snippets=true")
        let inText = phrase.hits.filter { hit in
            SampleCorpus.article(hit.id).map { XapianWords.words($0.text).containsRun(["port", "strike"]) } ?? false
        }
        try #require(!inText.isEmpty)
        for hit in inText {
            let words = highlighted(hit.snippet ?? "").flatMap { XapianWords.words($0) }
            #expect(words.containsRun(["port", "strike"]), "\(hit.id): \(hit.snippet ?? "no snippet")")
        }
    }

    static func snippetsOff(_ client: Client) async throws {
        let with = try await client.search("q=valmora&limit=5")
        let without = try await client.search("q=valmora&limit=5&snippets=false")
        #expect(without.hits.map(\.id) == with.hits.map(\.id))
        #expect(without.hits.allSatisfy { $0.snippet == nil })
    }

    static func snippetsOff(_ client: Client, spelling: String) async throws {
        let off = try await client.search("q=valmora&limit=2&snippets=\(spelling)")
        #expect(off.hits.allSatisfy { $0.snippet == nil }, "snippets=\(spelling)")
    }

    static func badSnippets(_ client: Client) async throws {
        let bad = try await client.get("/search?q=valmora&snippets=maybe")
        #expect(bad.status == 400)
    }

    /// The texts wrapped in <b>…</b>.
    static func highlighted(_ snippet: String) -> [String] {
        var result: [String] = []
        var rest = snippet[...]
        while let open = rest.range(of: "<b>"), let close = rest[open.upperBound...].range(of: "</b>") {
            result.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return result
    }

    // MARK: - collapse

    static func collapseTwins(_ client: Client) async throws {
        let title = "Port strike halts container traffic"
        let twins = corpus.filter { $0.title == title }.map(\.id)
        #expect(Set(twins) == ["news/world/002-port-strike-halts-container-traffic.txt",
                               "news/business/002-port-strike-halts-container-traffic.txt"])

        let query = "q=\(enc("port strike container"))&limit=20&snippets=false"
        let plain = try await client.search(query)
        #expect(plain.hits.filter { $0.title == title }.count == 2, "both copies match without collapse")
        #expect(plain.hits.allSatisfy { $0.collapsed == nil })

        let collapsed = try await client.search(query + "&collapse=true")
        let kept = collapsed.hits.filter { $0.title == title }
        #expect(kept.count == 1, "collapse=true keeps one of the two identical stories")
        #expect((kept.first?.collapsed ?? 0) >= 1, "the kept hit says how many it stands for")
        #expect(collapsed.hits.allSatisfy { $0.collapsed != nil })
        #expect(Set(collapsed.hits.map(\.id)) == Set(plain.hits.map(\.id)).subtracting(
            twins.filter { $0 != kept.first?.id }), "nothing else disappears")
        #expect(collapsed.hits.map(\.rank) == Array(1...collapsed.hits.count))
    }

    // MARK: - recency

    /// Some "strike" articles are undated (two of them top the plain ranking), so the top-date comparison is made
    /// among the dated ones: a date range keeps only those.
    static let datedStrike = "q=strike&from=1900-01-01&limit=100&snippets=false"
    static let strike = "q=strike&limit=100&snippets=false"

    static func recencyOnDated(_ client: Client, halfLife: String) async throws {
        let plainDated = try await client.search(datedStrike)
        try #require(plainDated.hits.count >= 4)
        let plainTop = try #require(plainDated.hits.first?.date)
        let recent = try await client.search(datedStrike + "&recency=\(halfLife)")
        #expect(Set(recent.hits.map(\.id)) == Set(plainDated.hits.map(\.id)), "recency=\(halfLife) does not filter")
        let recentTop = try #require(recent.hits.first?.date)
        #expect(recentTop >= plainTop, "recency=\(halfLife) does not put an older story on top")
    }

    /// A long half-life gives the boost weight even for these 2023-2024 stories: the newest one rises to the top.
    static func recencyNewestFirst(_ client: Client) async throws {
        let plainDated = try await client.search(datedStrike)
        try #require(plainDated.hits.count >= 4)
        let strongDated = try await client.search(datedStrike + "&recency=3650")
        let newest = try #require(plainDated.hits.compactMap(\.date).max())
        #expect(strongDated.hits.first?.date == newest, "recency=3650 ranks the newest strike story first")
        #expect(strongDated.hits.map(\.id) != plainDated.hits.map(\.id), "recency changes the order")
    }

    /// The boost is added to the BM25 score of every dated hit, and to no undated one; never taken away.
    static func recencyScores(_ client: Client, halfLife: String) async throws {
        let plain = try await client.search(strike)
        try #require(plain.hits.contains { $0.date == nil } && plain.hits.contains { $0.date != nil })
        let plainScores = Dictionary(uniqueKeysWithValues: plain.hits.map { ($0.id, $0.score) })
        let recent = try await client.search(strike + "&recency=\(halfLife)")
        #expect(Set(recent.hits.map(\.id)) == Set(plain.hits.map(\.id)), "recency reorders; it does not filter")
        for hit in recent.hits {
            guard let before = plainScores[hit.id] else { continue }
            if hit.date == nil {
                #expect(abs(hit.score - before) < 1e-9, "recency=\(halfLife): \(hit.id) is undated")
            } else if halfLife == "3650" {
                #expect(hit.score > before + 0.1, "recency=\(halfLife): \(hit.id): \(hit.score) vs \(before)")
            } else {
                #expect(hit.score >= before, "recency=\(halfLife): \(hit.id): \(hit.score) vs \(before)")
            }
        }
    }

    /// Newer stories gain more.
    static func recencyGains(_ client: Client) async throws {
        let plain = try await client.search(strike)
        let plainScores = Dictionary(uniqueKeysWithValues: plain.hits.map { ($0.id, $0.score) })
        let strong = try await client.search(strike + "&recency=3650")
        var gains: [(date: ArticleDate, gain: Double)] = []
        for hit in strong.hits {
            if let date = hit.date, let before = plainScores[hit.id] { gains.append((date, hit.score - before)) }
        }
        let byDate = gains.sorted { $0.date < $1.date }
        #expect(byDate.count >= 4)
        #expect(zip(byDate, byDate.dropFirst()).allSatisfy { $0.gain <= $1.gain + 1e-9 },
                "a newer article never gains less than an older one")
    }

    static func badRecency(_ client: Client, _ bad: String) async throws {
        let result = try await client.get("/search?q=strike&recency=\(bad)")
        #expect(result.status == 400, "recency=\(bad)")
        #expect(ErrorEnvelope.decode(result)?.code == "bad_parameter", "recency=\(bad)")
    }

    // MARK: - POST /search

    static let postPairs: [(get: String, post: String)] = [
        ("q=strike", #"{"q":"strike"}"#),
        ("q=\(enc("\"port strike\""))&limit=3&snippets=false", #"{"q":"\"port strike\"","limit":3,"snippets":false}"#),
        ("q=strike&limit=5&offset=1&category=world,business&from=2023-01-01&to=2024-12-31&sort=-date"
            + "&facets=category,month&snippets=false&collapse=true&recency=30",
         #"{"q":"strike","limit":5,"offset":1,"category":["world","business"],"from":"2023-01-01","to":"2024-12-31","sort":"-date","facets":["category","month"],"snippets":false,"collapse":true,"recency":30}"#),
        ("q=&category=science&sort=date&limit=50", #"{"q":"","category":"science","sort":"date","limit":50}"#),
        ("q=valmora&categories=world&facets=month", #"{"q":"valmora","categories":["world"],"facets":"month"}"#),
    ]

    static func compareGetAndPost(_ client: Client, get: String, post: String) async throws {
        var byGet = try await client.search(get)
        var byPost = try client.decode(SearchResponse.self, try await client.post("/search", json: post))
        #expect(!byGet.hits.isEmpty, "\(get)")
        #expect(byPost.hits.map(\.id) == byGet.hits.map(\.id), "\(post)")
        byGet.tookMicroseconds = 0
        byPost.tookMicroseconds = 0
        #expect(byPost == byGet, "POST \(post) and GET \(get) answer alike")
    }
}
