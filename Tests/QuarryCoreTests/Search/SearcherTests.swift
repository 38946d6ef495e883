import Foundation
import Testing
@testable import QuarryCore

/// Facets, sort, collapse, recency and similar, in-process on the indexed fixtures, against facts computed by brute
/// force over the fixture articles. (quarryd's tests check the same through HTTP on the larger samples.)
@Suite("Searcher: facets, sort, collapse, recency, similar")
struct SearcherTests {
    let articles = FixtureIndex.articles

    /// The three copies of one story, with titles differing only in case and punctuation, dated 2022, 2023, 2024.
    static let twins = ["008_harbour-cranes.txt", "business/008_harbour-cranes.txt", "world/008_harbour-cranes.txt"]

    func search(_ request: SearchRequest) throws -> SearchResponse {
        try FixtureIndex.searcher().search(request)
    }

    /// Every article, whatever it holds.
    func everything(sort: QuarryCore.SortOrder = .relevance, recency: Double? = nil) -> SearchRequest {
        SearchRequest(q: "", limit: 1000, sort: sort, snippets: false, recency: recency)
    }

    @Test func theIndexHoldsEveryFixtureArticle() throws {
        try #require(articles.count >= 12)
        let all = try search(everything())
        #expect(Set(all.hits.map(\.id)) == Set(articles.map(\.id)))
        #expect(all.total.estimated == articles.count)
    }

    // MARK: - facets

    struct FacetCase: CustomTestStringConvertible, Sendable {
        var q: String
        var categories: [String] = []
        var limit: Int
        var testDescription: String { "q=\"\(q)\" categories=\(categories) limit=\(limit)" }
    }

    @Test(arguments: [
        FacetCase(q: "", limit: 0), FacetCase(q: "", limit: 3), FacetCase(q: "", limit: 1000),
        FacetCase(q: "harbour OR comet OR ferry OR bakery OR port", limit: 1),
        FacetCase(q: "harbour OR comet OR ferry OR bakery OR port", limit: 0),
        FacetCase(q: "", categories: ["world", "business"], limit: 2),
    ])
    func facetsCountTheWholeMatchSet(_ facetCase: FacetCase) throws {
        // The match set, found without facets and without a page limit.
        let all = try search(SearchRequest(q: facetCase.q, limit: 1000, categories: facetCase.categories,
                                           snippets: false))
        var matched: [Article] = []
        for hit in all.hits { matched.append(try #require(FixtureIndex.article(hit.id), "\(hit.id) is not a fixture")) }
        try #require(matched.count >= 4)

        let response = try search(SearchRequest(q: facetCase.q, limit: facetCase.limit,
                                                categories: facetCase.categories, facets: [.category, .month],
                                                snippets: false))
        #expect(response.hits.count == min(facetCase.limit, matched.count))
        let categories = try #require(response.facets?["category"])
        let months = try #require(response.facets?["month"])
        #expect(Set(response.facets?.keys.map { $0 } ?? []) == ["category", "month"])
        #expect(categories.asDictionary == [String: Int](counting: matched, by: FixtureIndex.category(of:)),
                "category counts cover the whole match set, not the page")
        #expect(months.asDictionary == [String: Int](counting: matched, by: FixtureIndex.month(of:)),
                "month counts are per YYYY-MM over the dated matches")
        #expect(months.allSatisfy { $0.value.count == 7 && $0.value.dropFirst(4).first == "-" }, "\(months)")
    }

    @Test func everyFixtureCategoryAndMonthIsCountedOverTheWholeIndex() throws {
        let response = try search(SearchRequest(q: "", limit: 0, facets: [.category], snippets: false))
        let categories = try #require(response.facets?["category"]).asDictionary
        // Derived from the fixture tree: a folder names the category, a JSON line's own field wins.
        #expect(categories == [String: Int](counting: articles, by: FixtureIndex.category(of:)))
        #expect(categories["business"] == 2 && categories["world"] == 3 && categories["europe"] == 1, "\(categories)")
        #expect(response.facets?["month"] == nil, "only the facets asked for")
        #expect(try search(SearchRequest(q: "", limit: 1)).facets == nil)
    }

    // MARK: - sort

    /// The dated fixture ids, oldest first (their dates are all different, so the order is unique).
    var datedOldestFirst: [String] {
        articles.filter { $0.date != nil }.sorted { $0.date! < $1.date! }.map(\.id)
    }

    @Test func fixtureDatesAreDistinct() throws {
        let dates = articles.compactMap(\.date)
        #expect(Set(dates).count == dates.count, "the sort tests rely on one article per date")
        #expect(dates.count >= 8 && dates.count < articles.count, "both dated and undated articles")
    }

    @Test func sortNewestFirst() throws {
        let response = try search(everything(sort: .dateDescending))
        let dates = response.hits.compactMap(\.date)
        #expect(zip(dates, dates.dropFirst()).allSatisfy { $0 >= $1 }, "-date: dates never increase")
        #expect(response.hits.filter { $0.date != nil }.map(\.id) == datedOldestFirst.reversed())
        let undated = Set(articles.filter { $0.date == nil }.map(\.id))
        #expect(Set(response.hits.suffix(undated.count).map(\.id)) == undated, "undated articles come last")
        #expect(response.hits.map(\.rank) == Array(1...response.hits.count))
        for hit in response.hits { #expect(hit.date == FixtureIndex.article(hit.id)?.date, "\(hit.id)") }
    }

    @Test func sortOldestFirst() throws {
        let response = try search(everything(sort: .date))
        let dates = response.hits.compactMap(\.date)
        #expect(dates == dates.sorted(), "date: dates never decrease")
        #expect(response.hits.filter { $0.date != nil }.map(\.id) == datedOldestFirst)
        #expect(Set(response.hits.map(\.id)) == Set(articles.map(\.id)))
    }

    @Test(arguments: [QuarryCore.SortOrder.relevance, .date, .dateDescending])
    func sortKeepsTheMatchSetAndPagesContinueTheOrder(_ sort: QuarryCore.SortOrder) throws {
        let query = "harbour OR comet OR ferry OR bakery OR port OR festival"
        let whole = try search(SearchRequest(q: query, limit: 100, sort: sort, snippets: false))
        let relevance = try search(SearchRequest(q: query, limit: 100, snippets: false))
        try #require(whole.hits.count >= 6)
        #expect(Set(whole.hits.map(\.id)) == Set(relevance.hits.map(\.id)), "sorting keeps the match set")
        var paged: [String] = []
        for offset in stride(from: 0, to: whole.hits.count, by: 4) {
            let page = try search(SearchRequest(q: query, limit: 4, offset: offset, sort: sort, snippets: false))
            #expect(page.hits.map(\.rank) == Array((offset + 1)...(offset + page.hits.count)))
            paged += page.hits.map(\.id)
        }
        #expect(paged == whole.hits.map(\.id), "pages of 4 are the whole list, in order")
        switch sort {
        case .relevance:
            #expect(zip(whole.hits, whole.hits.dropFirst()).allSatisfy { $0.score >= $1.score },
                    "relevance: scores never increase")
            #expect(whole.hits.allSatisfy { $0.score > 0 })
        case .date:
            let dates = whole.hits.compactMap(\.date)
            #expect(dates == dates.sorted())
        case .dateDescending:
            let dates = whole.hits.compactMap(\.date)
            #expect(dates == dates.sorted(by: >))
        }
    }

    // MARK: - collapse

    @Test func collapseFoldsArticlesWithTheSameNormalisedTitle() throws {
        let titles = Self.twins.map { FixtureIndex.article($0)?.title ?? "" }
        #expect(Set(titles).count == 3, "the titles differ as written: \(titles)")
        #expect(Set(titles.map(IndexSchema.titleKey)).count == 1, "and are one title once normalised")

        let query = "harbour OR comet OR ferry OR bakery OR port OR festival OR cranes"
        let plain = try search(SearchRequest(q: query, limit: 100, snippets: false))
        let collapsed = try search(SearchRequest(q: query, limit: 100, snippets: false, collapse: true))
        #expect(Set(Self.twins).isSubset(of: plain.hits.map(\.id)), "all three copies match without collapse")
        #expect(plain.hits.allSatisfy { $0.collapsed == nil }, "no collapse count unless asked")

        // Brute force: the matching articles grouped by normalised title; one hit per group, standing for the rest.
        var groups: [String: [String]] = [:]
        for hit in plain.hits {
            let article = try #require(FixtureIndex.article(hit.id))
            groups[IndexSchema.titleKey(article.title), default: []].append(hit.id)
        }
        #expect(collapsed.hits.count == groups.count)
        #expect(collapsed.hits.map(\.rank) == Array(1...collapsed.hits.count))
        for hit in collapsed.hits {
            let article = try #require(FixtureIndex.article(hit.id))
            let group = groups[IndexSchema.titleKey(article.title)] ?? []
            #expect(group.contains(hit.id))
            #expect(hit.collapsed == group.count - 1, "\(hit.id) stands for the \(group.count - 1) others of \(group)")
        }
        let kept = collapsed.hits.filter { Self.twins.contains($0.id) }
        #expect(kept.count == 1 && kept.first?.collapsed == 2, "one copy of the story, standing for two")
        // The kept hits are the best of each group, in the plain ranking's order.
        let firstOfEachGroup = plain.hits.filter { hit in
            let key = IndexSchema.titleKey(FixtureIndex.article(hit.id)?.title ?? "")
            return groups[key]?.first == hit.id
        }
        #expect(collapsed.hits.map(\.id) == firstOfEachGroup.map(\.id))
    }

    @Test func collapseWithAPageLimitStillCountsTheWholeGroup() throws {
        let response = try search(SearchRequest(q: "cranes", limit: 1, snippets: false, collapse: true))
        #expect(response.hits.count == 1)
        #expect(response.hits.first.map { Self.twins.contains($0.id) } == true)
        #expect(response.hits.first?.collapsed == 2)
    }

    // MARK: - recency

    @Test func recencyBreaksATieTowardTheNewerArticle() throws {
        let plain = try search(SearchRequest(q: "cranes", limit: 10, snippets: false))
        #expect(Set(plain.hits.map(\.id)) == Set(Self.twins), "only the three copies mention cranes")
        let scores = plain.hits.map(\.score)
        #expect(scores.allSatisfy { abs($0 - scores[0]) < 1e-12 }, "identical text ties: \(scores)")
        let newestFirst = Self.twins.sorted { FixtureIndex.article($0)!.date! > FixtureIndex.article($1)!.date! }
        try #require(plain.hits.map(\.id) != newestFirst, "the tie must not already be newest first")

        for halfLife in [30.0, 365, 3650] {
            let recent = try search(SearchRequest(q: "cranes", limit: 10, snippets: false, recency: halfLife))
            #expect(recent.hits.map(\.id) == newestFirst, "recency=\(halfLife) puts the newer copy first")
            let boosted = recent.hits.map(\.score)
            #expect(zip(boosted, boosted.dropFirst()).allSatisfy { $0 > $1 }, "recency=\(halfLife): \(boosted)")
            #expect(boosted.allSatisfy { $0 >= scores[0] }, "recency only adds to the score")
        }
    }

    @Test func recencyAloneRanksNewestFirstAndLeavesUndatedArticlesUnboosted() throws {
        // Matching everything weighs nothing, so the boost alone orders the hits.
        let response = try search(everything(recency: 3650))
        #expect(Set(response.hits.map(\.id)) == Set(articles.map(\.id)), "recency reorders; it does not filter")
        #expect(response.hits.filter { $0.date != nil }.map(\.id) == datedOldestFirst.reversed())
        for hit in response.hits {
            if hit.date == nil {
                #expect(hit.score == 0, "\(hit.id) is undated")
            } else {
                #expect(hit.score > 0, "\(hit.id) is dated")
            }
        }
        let plain = try search(everything())
        #expect(plain.hits.allSatisfy { $0.score == 0 })
    }

    @Test func aShorterHalfLifeGivesOlderArticlesLess() throws {
        let long = try search(everything(recency: 3650))
        let short = try search(everything(recency: 30))
        let longScores = Dictionary(uniqueKeysWithValues: long.hits.map { ($0.id, $0.score) })
        for hit in short.hits where hit.date != nil {
            let other = try #require(longScores[hit.id])
            #expect(hit.score < other, "\(hit.id): a 30-day half-life boosts a story from \(hit.date!.iso) less")
        }
    }

    // MARK: - similar

    @Test(arguments: FixtureIndex.articles.map(\.id))
    func similarNeverReturnsTheSourceAndSharesItsTerms(_ id: String) throws {
        let response = try FixtureIndex.searcher().similar(id: id, limit: 100)
        #expect(!response.hits.contains { $0.id == id }, "an article is not similar to itself")
        #expect(response.hits.map(\.rank) == Array(0..<response.hits.count).map { $0 + 1 })
        let source = try FixtureIndex.terms(of: id).filter(SimilarArticles.isContentTerm)
        for hit in response.hits {
            let shared = try FixtureIndex.terms(of: hit.id).intersection(source)
            #expect(!shared.isEmpty, "\(hit.id) shares no word with \(id)")
        }
        #expect(zip(response.hits, response.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func similarFindsTheOtherCopiesFirstAndHonoursTheLimit() throws {
        let searcher = try FixtureIndex.searcher()
        for id in Self.twins {
            let response = try searcher.similar(id: id, limit: 100)
            let others = Set(Self.twins).subtracting([id])
            #expect(Set(response.hits.prefix(2).map(\.id)) == others, "\(id): the same story ranks first")
            let one = try searcher.similar(id: id, limit: 1)
            #expect(one.hits.count == 1)
            #expect(one.hits.map(\.id) == Array(response.hits.prefix(1).map(\.id)))
            #expect(try searcher.similar(id: id, limit: 0).hits.isEmpty)
        }
    }

    @Test func similarToAMissingArticleIsNotFound() throws {
        #expect {
            _ = try FixtureIndex.searcher().similar(id: "world/no-such-article.txt", limit: 10)
        } throws: { error in
            if case .notFound = error as? SearchFailure { return true }
            return false
        }
    }
}
