import Foundation
@testable import QuarryCore
import QuarryAPI
import QuarryTestSupport
import Testing
import Xapian

/// `from`/`to` as an OR of `Y`/`M`/`D` terms (DateRangeFilter): the fewest terms, and exactly the documents a
/// range over the date value finds.
@Suite struct DateRangeFilterTests {
    func date(_ text: String) -> ArticleDate { ArticleDate(yyyymmdd: text)! }

    @Test func wholeYearsThenMonthsThenDays() {
        let terms = DateRangeFilter.terms(from: date("2023-11-15"), to: date("2025-02-03"))
        let days = (15...30).map { "D202311\($0)" }
        #expect(terms == days + ["M202312", "Y2024", "M202501", "D20250201", "D20250202", "D20250203"])
        #expect(DateRangeFilter.terms(from: date("2024-02-01"), to: date("2024-02-29")) == ["M202402"])  // leap
        #expect(DateRangeFilter.terms(from: date("2023-02-01"), to: date("2023-02-28")) == ["M202302"])
        #expect(DateRangeFilter.terms(from: date("2024-02-01"), to: date("2024-02-28")).count == 28)
        #expect(DateRangeFilter.terms(from: date("2024-03-05"), to: date("2024-03-05")) == ["D20240305"])
        #expect(DateRangeFilter.terms(from: date("2020-01-01"), to: date("2024-12-31")) == (2020...2024).map { "Y\($0)" })
        #expect(DateRangeFilter.terms(from: date("2024-03-06"), to: date("2024-03-05")).isEmpty)
    }

    /// Terms from `minimumDocuments` articles on; below, the range over the date value (cheaper on small indexes).
    @Test func smallIndexesKeepTheValueRange() throws {
        let filter = DateRangeFilter(from: date("2020-03-05"), to: date("2021-02-01"))
        let years = ["2019", "2020", "2021"]
        let small = try filter.query(documents: DateRangeFilter.minimumDocuments - 1, years: years).description
        let large = try filter.query(documents: DateRangeFilter.minimumDocuments, years: years).description
        #expect(small.contains("VALUE_RANGE 0 20200305 20210201"), "\(small)")
        #expect(!large.contains("VALUE_RANGE") && large.contains("M202004") && large.contains("D20200305"), "\(large)")
    }

    /// Every range between the fixtures' dates (and open ends): the same documents as OP_VALUE_RANGE on slot 0.
    @Test func theSameDocumentsAsARangeOverTheDateValue() throws {
        let searcher = try FixtureIndex.searcher()
        let database = searcher.database
        let years = try DateFacts(database: database).years
        try #require(years.count >= 2, "the fixtures need articles in several years")
        var random = SeededRandom(seed: 42)
        let first = Int(years.first!)!, last = Int(years.last!)!
        func randomDate() -> ArticleDate {
            let year = Int.random(in: first...last, using: &random), month = Int.random(in: 1...12, using: &random)
            return ArticleDate(year: year, month: month,
                               day: Int.random(in: 1...ArticleDate.daysInMonth(year: year, month: month), using: &random))!
        }
        func documents(_ filter: Query) throws -> Set<DocumentID> {
            let enquire = try Enquire(database: database)
            try enquire.setQuery(try Query(.filter, [.matchAll, filter]))
            return Set(try enquire.mset(maxItems: try database.documentCount()).items().map(\.docid))
        }
        var nonEmpty = 0
        for _ in 0..<200 {
            let a = randomDate(), b = randomDate()
            let from: ArticleDate? = Int.random(in: 0..<8, using: &random) == 0 ? nil : min(a, b)
            let to: ArticleDate? = Int.random(in: 0..<8, using: &random) == 0 ? nil : max(a, b)
            let byTerms = try documents(DateRangeFilter(from: from, to: to).terms(years: years))
            let byValue = try documents(Query.valueRange(slot: IndexSchema.Slot.date,
                                                         from: Array((from?.yyyymmdd ?? "00000000").utf8),
                                                         to: Array((to?.yyyymmdd ?? "99999999").utf8)))
            #expect(byTerms == byValue, "\(String(describing: from))...\(String(describing: to))")
            if !byValue.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 50, "most ranges must hold articles, or the comparison proves little")
    }
}
