import QuarryAPI
import Xapian

/// `from`/`to` as Omega's date_range_filter builds them: an OR of the boolean terms that cover the range, whole
/// years (`Y`), then whole months (`M`), and days (`D`) at its ragged ends: at most ~90 terms for any range.
/// On the 1M synthetic index (150 filtered queries: a category, words and 1-5 years) this took 0.33-0.36× the
/// time of a range over the date value (OP_VALUE_RANGE), with the same top 10 for every query: the terms' posting
/// lists are skipped through, where a value range reads the date of every candidate. The percentages no longer
/// change when a date filter is added (a boolean term never counts as a matched subquery; Xapian 1.4 counts a
/// value range as one), and totals past `exactCountThreshold` are estimated from the terms.
///
/// On a small index the terms cost more than they save: opening up to ~90 short posting lists took 2.8× the value
/// range's time on 1,000 articles (Benchmarks/check), 0.83× on 50k and 0.43-0.50× on 100k. Below
/// `minimumDocuments` the range over the date value is kept.
struct DateRangeFilter {
    let from: ArticleDate?
    let to: ArticleDate?

    static let minimumDocuments = 50_000

    /// The filter for an index of `documents` articles whose years ("YYYY", ascending) are `years`; the terms
    /// from `minimumDocuments` articles up.
    func query(documents: Int, years: [String], minimumDocuments: Int = Self.minimumDocuments)
        throws(XapianError) -> Query
    {
        guard documents >= minimumDocuments else {
            return try Query.valueRange(slot: IndexSchema.Slot.date, from: Array((from?.yyyymmdd ?? "00000000").utf8),
                                        to: Array((to?.yyyymmdd ?? "99999999").utf8))
        }
        return try terms(years: years)
    }

    /// The OR of terms; an open end stops at the first or last of `years`.
    func terms(years: [String]) throws(XapianError) -> Query {
        guard let first = years.first.flatMap({ ArticleDate(year: Int($0) ?? 0, month: 1, day: 1) }),
              let last = years.last.flatMap({ ArticleDate(year: Int($0) ?? 0, month: 12, day: 31) })
        else { return .matchNothing }  // no dated article: nothing is in any range
        let start = max(from ?? first, first), end = min(to ?? last, last)
        guard start <= end else { return .matchNothing }
        return try Query(.or, Self.terms(from: start, to: end).map { term throws(XapianError) in try Query(term: term) })
    }

    /// The fewest `Y`, `M` and `D` terms whose days are exactly `from...to`.
    static func terms(from: ArticleDate, to: ArticleDate) -> [String] {
        typealias P = IndexSchema.Prefix
        var terms: [String] = []
        var day = from
        while day <= to {
            let yearEnd = ArticleDate(year: day.year, month: 12, day: 31)!
            let monthEnd = ArticleDate(year: day.year, month: day.month,
                                       day: ArticleDate.daysInMonth(year: day.year, month: day.month))!
            if day.month == 1, day.day == 1, yearEnd <= to {
                terms.append(P.year + String(day.yyyymmdd.prefix(4)))
                guard let next = ArticleDate(year: day.year + 1, month: 1, day: 1) else { break }
                day = next
            } else if day.day == 1, monthEnd <= to {
                terms.append(P.month + day.yyyymm)
                guard let next = monthEnd.next else { break }
                day = next
            } else {
                terms.append(P.day + day.yyyymmdd)
                guard let next = day.next else { break }
                day = next
            }
        }
        return terms
    }
}

extension ArticleDate {
    /// The day after, or nil after 9999-12-31.
    var next: ArticleDate? {
        if day < ArticleDate.daysInMonth(year: year, month: month) { return ArticleDate(year: year, month: month, day: day + 1) }
        if month < 12 { return ArticleDate(year: year, month: month + 1, day: 1) }
        return ArticleDate(year: year + 1, month: 1, day: 1)
    }
}
