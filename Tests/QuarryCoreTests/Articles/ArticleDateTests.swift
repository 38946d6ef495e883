import Foundation
import Testing
@testable import QuarryCore

@Suite("ArticleDate")
struct ArticleDateTests {
    @Test func validatesRealCalendarDays() {
        #expect(ArticleDate(year: 2023, month: 10, day: 24) != nil)
        #expect(ArticleDate(year: 2023, month: 2, day: 30) == nil)
        #expect(ArticleDate(year: 2023, month: 2, day: 29) == nil)
        #expect(ArticleDate(year: 2024, month: 2, day: 29) != nil)
        #expect(ArticleDate(year: 1900, month: 2, day: 29) == nil) // divisible by 100, not by 400
        #expect(ArticleDate(year: 2000, month: 2, day: 29) != nil) // divisible by 400
        #expect(ArticleDate(year: 2023, month: 4, day: 31) == nil)
        #expect(ArticleDate(year: 2023, month: 13, day: 1) == nil)
        #expect(ArticleDate(year: 2023, month: 0, day: 1) == nil)
        #expect(ArticleDate(year: 2023, month: 1, day: 0) == nil)
        #expect(ArticleDate(year: 999, month: 1, day: 1) == nil)
        #expect(ArticleDate(year: 10000, month: 1, day: 1) == nil)
        #expect(ArticleDate(year: 1000, month: 1, day: 1) != nil)
        #expect(ArticleDate(year: 9999, month: 12, day: 31) != nil)
    }

    @Test func parsesCompactAndISOStrings() throws {
        let compact = try #require(ArticleDate(yyyymmdd: "20231024"))
        let iso = try #require(ArticleDate(yyyymmdd: "2023-10-24"))
        #expect(compact == iso)
        #expect(compact.year == 2023 && compact.month == 10 && compact.day == 24)
        for bad in ["", "2023102", "202310245", "2023-1-24", "2023/10/24", "20231324", "2023-02-30", "abcdefgh",
                    "2023-10-2x", "２０２３１０２４"] {
            #expect(ArticleDate(yyyymmdd: bad) == nil, "\(bad)")
        }
    }

    @Test func formatsZeroPadded() throws {
        let date = try #require(ArticleDate(year: 1987, month: 3, day: 5))
        #expect(date.yyyymmdd == "19870305")
        #expect(date.yyyymm == "198703")
        #expect(date.iso == "1987-03-05")
        #expect(date.description == "1987-03-05")
    }

    @Test(arguments: [
        (1970, 1, 1, 0), (1970, 1, 2, 1), (1969, 12, 31, -1), (2000, 3, 1, 11017), (2000, 2, 29, 11016),
        (2023, 10, 24, 19654), (1000, 1, 1, -354_285), (9999, 12, 31, 2_932_896), (1600, 3, 1, -135_080),
    ])
    func daysSinceEpoch(year: Int, month: Int, day: Int, expected: Int) throws {
        let date = try #require(ArticleDate(year: year, month: month, day: day))
        #expect(date.daysSinceEpoch == expected)
    }

    /// Cross-checks the arithmetic against Foundation for every day of a few leap cycles.
    @Test func daysSinceEpochMatchesFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var components = DateComponents(year: 1895, month: 1, day: 1)
        let start = try #require(calendar.date(from: components))
        var previous: Int?
        for offset in stride(from: 0, to: 366 * 12, by: 1) {
            let day = start.addingTimeInterval(Double(offset) * 86_400)
            components = calendar.dateComponents([.year, .month, .day], from: day)
            let date = try #require(ArticleDate(
                year: components.year ?? 0, month: components.month ?? 0, day: components.day ?? 0))
            #expect(date.daysSinceEpoch == Int((day.timeIntervalSince1970 / 86_400).rounded(.down)))
            if let previous { #expect(date.daysSinceEpoch == previous + 1) }
            previous = date.daysSinceEpoch
        }
    }

    @Test func ordersChronologically() throws {
        let dates = try ["2023-10-24", "2023-09-30", "2024-01-01", "2023-10-23"].map {
            try #require(ArticleDate(yyyymmdd: $0))
        }
        #expect(dates.sorted().map(\.iso) == ["2023-09-30", "2023-10-23", "2023-10-24", "2024-01-01"])
        #expect(dates.sorted().map(\.daysSinceEpoch) == dates.map(\.daysSinceEpoch).sorted())
    }

    @Test func codableAsISOString() throws {
        let date = try #require(ArticleDate(year: 2023, month: 10, day: 24))
        let data = try JSONEncoder().encode(["date": date])
        #expect(String(decoding: data, as: UTF8.self) == #"{"date":"2023-10-24"}"#)
        #expect(try JSONDecoder().decode([String: ArticleDate].self, from: data)["date"] == date)
        #expect(try JSONDecoder().decode(ArticleDate.self, from: Data(#""20231024""#.utf8)) == date)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ArticleDate.self, from: Data(#""2023-02-30""#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ArticleDate.self, from: Data("20231024".utf8)) }
    }
}
