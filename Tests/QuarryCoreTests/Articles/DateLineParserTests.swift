import QuarryTestSupport
import Testing
@testable import QuarryCore

@Suite("DateLineParser")
struct DateLineParserTests {
    @Test(arguments: [
        "October 24, 2023", "Oct 24, 2023", "Oct. 24, 2023", "24 October 2023", "Tuesday, 24 October 2023",
        "Tue 24 Oct 2023 10:00 BST", "2023-10-24", "2023-10-24T07:13:00Z", "2023-10-24T07:13:00+04:00",
        "24 Oct 2023, 7:13 AM", "October 24, 2023, 7:13 AM", "OCTOBER 24, 2023", "october 24 2023",
        "24th October 2023", "24th of October, 2023", "Oct 24th, 2023", "Tue, 24 Oct 2023 07:13:00 GMT",
        "10/24/2023", "24/10/2023", "24.10.2023", "20231024", "2023/10/24", "  Oct 24, 2023  ",
        "24\u{00A0}October\u{00A0}2023", "Tues. Oct. 24, 2023", "October 24, 2023 | 7:13 am",
    ])
    func parsesCommonNewsForms(_ text: String) {
        #expect(DateLineParser.parseDate(text) == ArticleDate(year: 2023, month: 10, day: 24), "\(text)")
    }

    @Test func parsesSeptAndOtherAbbreviations() {
        #expect(DateLineParser.parseDate("Sept 5, 2021") == ArticleDate(year: 2021, month: 9, day: 5))
        #expect(DateLineParser.parseDate("Sep 5, 2021") == ArticleDate(year: 2021, month: 9, day: 5))
        #expect(DateLineParser.parseDate("5 SEPT 2021") == ArticleDate(year: 2021, month: 9, day: 5))
        #expect(DateLineParser.parseDate("May 1, 2020") == ArticleDate(year: 2020, month: 5, day: 1))
        #expect(DateLineParser.parseDate("1 Jun 2020") == ArticleDate(year: 2020, month: 6, day: 1))
        #expect(DateLineParser.parseDate("Jul 4 1999") == ArticleDate(year: 1999, month: 7, day: 4))
        #expect(DateLineParser.parseDate("Feb 29, 2024") == ArticleDate(year: 2024, month: 2, day: 29))
        #expect(DateLineParser.parseDate(Substring("Dec 31, 1999")) == ArticleDate(year: 1999, month: 12, day: 31))
    }

    @Test func numericDayMonthOnlyWhenUnambiguous() {
        #expect(DateLineParser.parseDate("05/06/2023") == nil)
        #expect(DateLineParser.parseDate("5.6.2023") == nil)
        #expect(DateLineParser.parseDate("13/01/2023") == ArticleDate(year: 2023, month: 1, day: 13))
        #expect(DateLineParser.parseDate("01/13/2023") == ArticleDate(year: 2023, month: 1, day: 13))
        #expect(DateLineParser.parseDate("07/07/2023") == ArticleDate(year: 2023, month: 7, day: 7)) // same either way
        #expect(DateLineParser.parseDate("13/13/2023") == nil)
        #expect(DateLineParser.parseDate("10/24/23") == nil) // two-digit year
        #expect(DateLineParser.parseDate("10/24-2023") == nil) // mixed separators
    }

    @Test(arguments: [
        "", "   ", "February 30, 2023", "Feb 29, 2023", "31 April 2023", "2023-02-30", "2023-13-01", "Octember 24, 2023",
        "October 2023", "24 October", "October 24", "the meeting on October 24, 2023", "October 24, 2023 was warm",
        "Mon 2023", "99 October 2023", "October 24, 123", "tomorrow", "24 Oct 20233",
        String(repeating: "October 24, 2023 ", count: 40),
    ])
    func rejectsInvalidOrNonDates(_ text: String) {
        #expect(DateLineParser.parseDate(text) == nil, "\(text)")
    }

    @Test(arguments: [
        ("Updated: October 24, 2023, 7:13 AM", "2023-10-24"),
        ("Published: 24 Oct 2023", "2023-10-24"),
        ("Last updated: 14 Feb 2024, 08:00 GMT", "2024-02-14"),
        ("First published: Tuesday, 24 October 2023", "2023-10-24"),
        ("Posted: Sept 5, 2021", "2021-09-05"),
        ("Date: 2022-07-30T18:00:00Z", "2022-07-30"),
        ("Updated on October 24, 2023", "2023-10-24"),
        ("Published on Tuesday, 24 October 2023", "2023-10-24"),
        ("UPDATED: OCT. 24, 2023", "2023-10-24"),
        ("updated October 24, 2023", "2023-10-24"),
        ("Published : 24 October 2023", "2023-10-24"),
        ("  Updated: 2023-10-24", "2023-10-24"),
        ("Posted on Sept 5, 2021", "2021-09-05"),
    ])
    func recognisesDateLines(_ line: String, _ iso: String) {
        #expect(DateLineParser.dateLine(line[...])?.iso == iso, "\(line)")
    }

    @Test(arguments: [
        "October 24, 2023", // a bare date is not a date line
        "Updated daily schedules will be posted at the town hall.",
        "Date night tickets sold out within an hour.",
        "Updates: October 24, 2023",
        "Dated: October 24, 2023",
        "Publishedness: October 24, 2023",
        "Posted: 3 comments",
        "Published: February 30, 2023",
        "The report was published: October 24, 2023",
        "Updated: October 24, 2023, after the minister resigned amid protests",
        "Updated: " + String(repeating: " ", count: 120) + "October 24, 2023",
        "", "U", "Updated", "Updated:",
    ])
    func rejectsOtherLines(_ line: String) {
        #expect(DateLineParser.dateLine(line[...]) == nil, "\(line)")
    }

    @Test func classifiesPublishedAndUpdated() {
        #expect(DateLineParser.classifyDateLine("Published: 24 Oct 2023")?.kind == .published)
        #expect(DateLineParser.classifyDateLine("First published: 24 Oct 2023")?.kind == .published)
        #expect(DateLineParser.classifyDateLine("Posted: 24 Oct 2023")?.kind == .published)
        #expect(DateLineParser.classifyDateLine("Date: 24 Oct 2023")?.kind == .published)
        #expect(DateLineParser.classifyDateLine("Updated: 24 Oct 2023")?.kind == .updated)
        #expect(DateLineParser.classifyDateLine("Last updated: 24 Oct 2023")?.kind == .updated)
        #expect(DateLineParser.classifyDateLine("Updated on 24 Oct 2023")?.kind == .updated)
    }

    /// Arbitrary bytes must never crash the scanner. Seeded: QUARRY_NOISE_SEED=<printed seed> replays a run.
    @Test func survivesNoise() {
        let seed = SeededRandom.seed(fromEnvironment: "QUARRY_NOISE_SEED")
        print("DateLineParser noise: seed \(seed) (replay with QUARRY_NOISE_SEED=\(seed))")
        var generator = SeededRandom(seed: seed)
        let alphabet = Array("0123456789 ,.:/-TZamOctJanSeptupdatedPublished\u{2013}\u{00A0}é".unicodeScalars)
        for _ in 0..<2_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
            }
            let string = String(text)
            // Whatever noise parses as is a real calendar date (it survives a round trip through YYYYMMDD).
            if let date = DateLineParser.parseDate(string) {
                #expect(ArticleDate(yyyymmdd: date.yyyymmdd) == date, "\(string.debugDescription) → \(date.iso)")
            }
            if let date = DateLineParser.dateLine(string[...]) {
                #expect(ArticleDate(yyyymmdd: date.yyyymmdd) == date, "\(string.debugDescription) → \(date.iso)")
            }
        }
    }

    @Test func proseIsNotADateLine() {
        let prose = "The Pentagon has detailed attacks on forces thought to have been conducted by militias."[...]
        #expect(DateLineParser.dateLine(prose) == nil)
        #expect(DateLineParser.dateLine("Updated: the situation is changing fast"[...]) == nil)
    }
}
