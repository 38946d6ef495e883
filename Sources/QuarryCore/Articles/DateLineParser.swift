/// Parses the English date forms news sites print, and recognises whole date lines
/// ("Updated: October 24, 2023, 7:13 AM"). Byte scanning only: it runs on every line
/// of every article, so there is no regex, Calendar or DateFormatter here.
public enum DateLineParser {
    /// Whether a date line announces first publication or a later update.
    public enum LineKind: Sendable, Equatable {
        case published
        case updated
    }

    /// Longest line still considered a date line (in Unicode scalars).
    public static let maxDateLineLength = 120

    /// A date in one of: "October 24, 2023", "Oct. 24, 2023", "24 October 2023",
    /// "Tuesday, 24 October 2023", "Tue 24 Oct 2023 10:00 BST", "2023-10-24",
    /// "2023-10-24T07:13:00Z", "20231024", "24 Oct 2023, 7:13 AM", "10/24/2023"
    /// (numeric day/month only when unambiguous). A time and zone may follow the date;
    /// other trailing prose makes the result nil.
    public static func parseDate(_ text: Substring) -> ArticleDate? {
        // Dates are short; refusing long input bounds the work on hostile data.
        guard text.utf8.count <= 200 else { return nil }
        var scanner = DateTokenScanner(Array(text.utf8))
        return scanner.parse()
    }

    public static func parseDate(_ text: String) -> ArticleDate? {
        parseDate(text[...])
    }

    /// The date of a date line such as "Published: 24 Oct 2023" or "Updated on October 24, 2023";
    /// nil for any other line.
    public static func dateLine(_ line: Substring) -> ArticleDate? {
        classifyDateLine(line)?.date
    }

    public static func dateLine(_ line: String) -> ArticleDate? {
        dateLine(line[...])
    }

    /// The kind and date of a date line, or nil. The cheap keyword test comes first
    /// so ordinary paragraphs are rejected after looking at a few bytes.
    public static func classifyDateLine(_ line: Substring) -> (kind: LineKind, date: ArticleDate)? {
        let utf8 = line.utf8
        var index = utf8.startIndex
        // Skip leading blanks.
        while index != utf8.endIndex, utf8[index] == 0x20 || utf8[index] == 0x09 { utf8.formIndex(after: &index) }
        guard index != utf8.endIndex else { return nil }
        let first = utf8[index] | 0x20
        // Every keyword starts with one of these letters: u(pdated) p(ublished/osted) l(ast) f(irst) d(ate).
        guard first == 0x75 || first == 0x70 || first == 0x6C || first == 0x66 || first == 0x64 else { return nil }

        var matched: (kind: LineKind, end: Substring.UTF8View.Index)?
        for keyword in Self.keywords {
            if let end = matchKeyword(keyword.bytes, in: utf8, from: index) {
                matched = (keyword.kind, end)
                break
            }
        }
        guard let (kind, keywordEnd) = matched else { return nil }
        guard line.unicodeScalars.count <= maxDateLineLength else { return nil }

        // Optional spaces, optional colon, optional "on".
        var rest = keywordEnd
        skipBlanks(utf8, &rest)
        if rest != utf8.endIndex, utf8[rest] == UInt8(ascii: ":") {
            utf8.formIndex(after: &rest)
            skipBlanks(utf8, &rest)
        }
        if let afterOn = matchKeyword(Array("on".utf8), in: utf8, from: rest) {
            rest = afterOn
        }
        guard let date = parseDate(line[rest...]) else { return nil }
        return (kind, date)
    }

    // MARK: - Keyword matching

    private struct Keyword: Sendable {
        let bytes: [UInt8]
        let kind: LineKind
    }

    // Longer keywords first so "last updated" is not shadowed by anything shorter.
    private static let keywords: [Keyword] = [
        Keyword(bytes: Array("first published".utf8), kind: .published),
        Keyword(bytes: Array("last updated".utf8), kind: .updated),
        Keyword(bytes: Array("published".utf8), kind: .published),
        Keyword(bytes: Array("updated".utf8), kind: .updated),
        Keyword(bytes: Array("posted".utf8), kind: .published),
        Keyword(bytes: Array("date".utf8), kind: .published),
    ]

    /// Index after `keyword` when it starts at `start` (ASCII case-insensitive) and is
    /// followed by a non-letter, so "Dated" or "Updates" do not match.
    private static func matchKeyword(
        _ keyword: [UInt8], in utf8: Substring.UTF8View, from start: Substring.UTF8View.Index
    ) -> Substring.UTF8View.Index? {
        var index = start
        for expected in keyword {
            guard index != utf8.endIndex else { return nil }
            let byte = utf8[index]
            let lowered = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            guard lowered == expected else { return nil }
            utf8.formIndex(after: &index)
        }
        if index != utf8.endIndex, DateTokenScanner.isLetter(utf8[index]) { return nil }
        return index
    }

    private static func skipBlanks(_ utf8: Substring.UTF8View, _ index: inout Substring.UTF8View.Index) {
        while index != utf8.endIndex, utf8[index] == 0x20 || utf8[index] == 0x09 { utf8.formIndex(after: &index) }
    }
}
