import Foundation
import Testing
@testable import QuarryCore
import QuarryTestSupport
import Xapian

/// Date sorts sliced by year (issue 17) answer exactly as the plain Xapian path (one sort by value over the whole
/// match): same hits (ids, ranks, scores, percentages, order) and the same total, over many queries, pages and ranges, on the fixtures, the samples and a synthetic index
/// with 22 of 24 years, dateless articles and more than 1,000 matches (and the same without the dateless ones).
@Suite("Date-sliced sorts", .serialized)
struct DateSlicedSearchTests {
    /// The three indexes, built once.
    static let root = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-sliced-\(UUID().uuidString)")
    static let indexes: [String] = {
        var paths: [String] = []
        if let fixtures = try? FixtureIndex.databasePath { paths.append(fixtures) }
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: DateSlicedSearchTests.root) }
        func build(_ name: String, _ roots: [URL]) {
            let path = root.appendingPathComponent(name).path
            var options = IndexerOptions(databasePath: path)
            options.spelling = false
            guard let indexer = try? Indexer(options: options) else { return }
            _ = try? indexer.run(roots: roots)
            try? indexer.close()
            paths.append(path)
        }
        build("samples", [RepositoryPaths.samples])
        // Synthetic: 2,600 articles over 2001-2024 without 2005 and 2017, about 1 in 25 dateless.
        var random = SeededRandom(seed: 17)
        let words = ["harbour", "council", "flood", "bridge", "budget", "election", "storm", "rail", "school",
                     "market", "energy", "court", "river", "festival", "strike", "hospital"]
        let categories = ["world", "business", "sport", "science"]
        var lines: [String] = []
        for number in 0..<2600 {
            var year = Int.random(in: 2001...2024, using: &random)
            if year == 2005 || year == 2017 { year += 1 }
            let month = Int.random(in: 1...12, using: &random)
            var day = Int.random(in: 1...ArticleDate.daysInMonth(year: year, month: month), using: &random)
            if number % 97 == 0 { (day) = 29 }  // leap days (and 29ths) for the range tests
            let dated = ArticleDate(year: year, month: month, day: day) ?? ArticleDate(year: 2004, month: 2, day: 29)
            let text = (0..<Int.random(in: 5...30, using: &random)).map { _ in words.randomElement(using: &random)! }
            let title = (0..<3).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
            var fields: [String: String] = ["id": "s\(number)", "title": title, "text": text.joined(separator: " "),
                                            "category": categories.randomElement(using: &random)!]
            if number % 25 != 3 { fields["date"] = dated!.yyyymmdd }
            let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        let feed = root.appendingPathComponent("synthetic.jsonl")
        try? (lines.joined(separator: "\n") + "\n").write(to: feed, atomically: true, encoding: .utf8)
        build("synthetic", [feed])
        // The same without its dateless articles: an ascending sort is sliced by days only then.
        let dated = root.appendingPathComponent("dated.jsonl")
        try? (lines.filter { $0.contains("\"date\"") }.joined(separator: "\n") + "\n")
            .write(to: dated, atomically: true, encoding: .utf8)
        build("dated", [dated])
        return paths
    }()

    static let queries = ["", "flood", "harbour council", "bridge OR storm", "river -court", "valmora", "zzznothing",
                          "\"budget election\"", "title:storm"]
    static let pages: [(offset: Int, limit: Int)] = [(0, 10), (0, 1), (3, 7), (0, 0), (10, 0), (20, 50), (990, 15),
                                                     (1000, 30), (2450, 40), (0, 3000), (2590, 20), (5000, 10)]

    static func answer(_ searcher: Searcher, _ request: SearchRequest, plain: Bool) throws -> SearchResponse {
        var execution = SearchExecution(searcher: searcher, request: request)
        execution.plainXapian = plain
        return try execution.run()
    }

    static func expectSame(_ searcher: Searcher, _ request: SearchRequest) throws {
        let plain = try answer(searcher, request, plain: true)
        let sliced = try answer(searcher, request, plain: false)
        let label = "\(request.q) \(request.sort) \(request.categories) \(request.offset)+\(request.limit) "
            + "\(request.from?.iso ?? "-")..\(request.to?.iso ?? "-") recency \(request.recency ?? 0)"
        #expect(sliced.hits == plain.hits, "\(label)")
        #expect(sliced.total == plain.total, "\(label)")
        #expect(sliced.facets == plain.facets, "\(label)")
    }

    @Test func datePagesMatchOneSortOverTheWholeMatch() throws {
        #expect(Self.indexes.count == 4)
        for path in Self.indexes {
            let searcher = try Searcher(path: path)
            for q in Self.queries {
                for sort in [SortOrder.dateDescending, .date] {
                    for categories in [[], ["sport"], ["world", "science"]] {
                        for page in Self.pages {
                            try Self.expectSame(searcher, SearchRequest(q: q, limit: page.limit, offset: page.offset,
                                                                        categories: categories, sort: sort,
                                                                        snippets: false))
                        }
                    }
                }
            }
        }
    }

    /// Below archive size the sliced path runs where Xapian knows the count (an empty query, one category, one
    /// word) and only there; at archive size free text is sliced too, unless the page is so deep (or the query so
    /// rare) that the slices would cover much of the index, or the sort is ascending over dateless articles.
    @Test func slicingRunsWhereItPays() throws {
        let searcher = try Searcher(path: Self.indexes[2])
        let documents = try searcher.database.documentCount()
        func sliced(_ q: String, _ categories: [String] = [], archive: Int = DateSlicedSort.archiveDocuments,
                    descending: Bool = true, offset: Int = 0) throws -> Bool {
            let parsed = q.isEmpty ? Query.matchAll : try searcher.parser.parse(q, flags: Searcher.parserFlags)
            let query = categories.isEmpty ? parsed : try Query(.filter, [parsed, Query(term: "XC" + categories[0])])
            return try DateSlicedSort(searcher: searcher, query: query, descending: descending,
                                      facts: searcher.dateFacts(), offset: offset, limit: 10, documents: documents,
                                      archiveDocuments: archive).run() != nil
        }
        #expect(try sliced(""))
        #expect(try sliced("", ["sport"]))
        #expect(try sliced("flood"))
        #expect(try !sliced("bridge OR storm"))
        #expect(try sliced("bridge OR storm", archive: documents))
        #expect(try !sliced("bridge OR storm", archive: documents + 1))
        #expect(try !sliced("bridge OR storm", archive: 0, offset: 1000))
        #expect(try !sliced("bridge OR storm", archive: 0, descending: false))  // dateless articles come first
        // At most 1,000 possible matches (one category of four): the single sort counts them exactly.
        #expect(try sliced("harbour council", archive: 0))
        #expect(try !sliced("harbour council", ["sport"], archive: 0))
    }

    /// Percentages on one scale: proportional to the scores (Xapian rounds them down).
    static func proportional(_ hits: [SearchHit]) -> Bool {
        guard let top = hits.max(by: { $0.score < $1.score }), top.score > 0 else { return true }
        let perScore = Double(top.percent) / top.score
        return hits.allSatisfy { $0.score <= 0 || abs(Double($0.percent) - $0.score * perScore) <= 1.5 }
    }

    /// Categories and date ranges the day runs are tested with (a range bounds the days searched).
    static let filters: [(categories: [String], range: (from: ArticleDate?, to: ArticleDate?)?)] = [
        ([], nil), (["sport"], nil),
        ([], (ArticleDate(year: 2009, month: 3, day: 1), ArticleDate(year: 2013, month: 8, day: 15))),
        ([], (ArticleDate(year: 2002, month: 5, day: 17), nil)),
        ([], (nil, ArticleDate(year: 2023, month: 6, day: 30))),
        (["world", "science"], (ArticleDate(year: 2020, month: 1, day: 1), nil)),
    ]

    /// On an archive-sized index (the size threshold lowered here) date sorts are sliced by runs of days: the same
    /// hits, ranks, scores and order as the single sort; a total that is exact where Xapian knows it or every
    /// article was searched, and otherwise an estimate whose bounds hold the true count; percentages on one scale
    /// for the whole page.
    @Test func archiveSortsByRunsOfDaysKeepTheHits() throws {
        var dayRuns = 0, ascending = 0, ranged = 0
        for path in Self.indexes {
            let searcher = try Searcher(path: path)
            for q in ["harbour council", "bridge OR storm", "river -court", "\"budget election\"", "flood storm rail",
                      "court", ""] {
                for sort in [SortOrder.dateDescending, .date] {
                    for (categories, range) in Self.filters {
                        for page in range == nil ? Self.pages : Array(Self.pages.prefix(4)) {
                            let request = SearchRequest(q: q, limit: page.limit, offset: page.offset,
                                                        categories: categories, from: range?.from, to: range?.to,
                                                        sort: sort, snippets: false)
                            let plain = try Self.answer(searcher, request, plain: true)
                            var execution = SearchExecution(searcher: searcher, request: request)
                            execution.archiveDocuments = 0
                            let sliced = try execution.run()
                            let label = "\(path) \(q) \(sort) \(categories) \(page.offset)+\(page.limit) "
                                + "\(range?.from?.iso ?? "-")..\(range?.to?.iso ?? "-")"
                            var samePercents = sliced.hits
                            for index in samePercents.indices where index < plain.hits.count {
                                samePercents[index].percent = plain.hits[index].percent
                            }
                            #expect(samePercents == plain.hits, "\(label)")
                            // A value sort with a page looks at every match: its lower bound is the true count.
                            var counting = request
                            (counting.offset, counting.limit) = (0, 1)
                            let count = try Self.answer(searcher, counting, plain: true).total.lower
                            #expect(sliced.total.lower <= count && count <= sliced.total.upper, "\(label)")
                            #expect(sliced.total.lower <= sliced.total.estimated, "\(label)")
                            #expect(sliced.total.estimated <= sliced.total.upper, "\(label)")
                            if sliced.total.exact { #expect(sliced.total.lower == count, "\(label)") }
                            if sliced.total != plain.total {
                                dayRuns += 1
                                if sort == .date { ascending += 1 }
                                if range != nil { ranged += 1 }
                            }
                            // One scale, set by a weight no hit exceeds: percentages proportional to the scores,
                            // wherever Xapian's own page is (with a range over the date value, Xapian 1.4 counts
                            // the range as a matched subquery and caps many hits at 100).
                            if Self.proportional(plain.hits) {
                                #expect(Self.proportional(sliced.hits), "\(label)")
                            }
                            #expect(sliced.hits.allSatisfy { (0...100).contains($0.percent) }, "\(label)")
                            // ... and a real one (Xapian answers 100 for everything from an MSet without a scale).
                            if let top = sliced.hits.max(by: { $0.score < $1.score }),
                               let low = sliced.hits.min(by: { $0.score < $1.score }), low.score > 0,
                               top.score >= 2 * low.score {
                                #expect(top.percent > low.percent, "\(label)")
                            }
                        }
                    }
                }
            }
        }
        // The runs of days ran for a good share of the requests (a total unlike the single sort's is theirs alone).
        #expect(dayRuns >= 50, "\(dayRuns) requests sliced by days")
        #expect(ascending >= 10, "\(ascending) ascending requests sliced by days")
        #expect(ranged >= 10, "\(ranged) requests with a date range sliced by days")
    }

    /// The estimate: the searched slices' match rate over the whole index, within what is known.
    @Test func slicedTotalsStayWithinWhatIsKnown() {
        let bounds = MSet.Bounds(lower: 40, estimated: 900, upper: 5000)
        #expect(DateSlicedSort.total(matched: 30, searched: 100, documents: 1000, tree: bounds)
            == MatchCount(estimated: 300, lower: 40, upper: 930))
        #expect(DateSlicedSort.total(matched: 120, searched: 1000, documents: 1000, tree: bounds)
            == MatchCount(estimated: 120, lower: 120, upper: 120))
        // Found more than Xapian's lower bound; the rate would overshoot the upper bound.
        #expect(DateSlicedSort.total(matched: 90, searched: 100, documents: 10_000,
                                     tree: MSet.Bounds(lower: 10, estimated: 500, upper: 2_000))
            == MatchCount(estimated: 2_000, lower: 90, upper: 2_000))
    }

    @Test func sortsWithRecencyRangesFacetsAndCollapse() throws {
        let from = ArticleDate(year: 2009, month: 3, day: 1), to = ArticleDate(year: 2013, month: 8, day: 15)
        for path in Self.indexes {
            let searcher = try Searcher(path: path)
            for q in ["", "flood", "bridge OR storm"] {
                for sort in [SortOrder.dateDescending, .date] {
                    for page in [(0, 10), (15, 25), (0, 1200)] {
                        try Self.expectSame(searcher, SearchRequest(q: q, limit: page.0, offset: page.1, sort: sort,
                                                                    snippets: false, recency: 30))
                        try Self.expectSame(searcher, SearchRequest(q: q, limit: page.0, offset: page.1, from: from,
                                                                    to: to, sort: sort, snippets: false))
                        try Self.expectSame(searcher, SearchRequest(q: q, limit: page.0, offset: page.1, sort: sort,
                                                                    facets: [.category, .month], snippets: false))
                        try Self.expectSame(searcher, SearchRequest(q: q, limit: page.0, offset: page.1, sort: sort,
                                                                    snippets: false, collapse: true))
                    }
                }
            }
        }
    }
}
