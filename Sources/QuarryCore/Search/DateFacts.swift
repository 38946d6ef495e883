import Xapian

/// What an index's dates look like, read once per database revision (Searcher caches it): how many articles
/// have a date, the years that have articles (the `Y` terms, oldest first) and whether some articles have no
/// date. Date-sorted searches are cut into one search per year, or per run of days, with these; /stats and the
/// dateless notes use the count.
struct DateFacts: Sendable {
    /// "1998", "2023", ...: four digits each (ArticleDate keeps years in 1000...9999), ascending.
    let years: [String]
    /// The days that have articles (the `D` terms), ascending, with how many articles each has.
    let days: [(date: ArticleDate, documents: Int)]
    /// Documents with a date value.
    let datedDocuments: Int
    /// Some documents have no date value (they sort before every date under `date`, after under `-date`).
    let hasDateless: Bool

    init(database: Database) throws(XapianError) {
        years = try database.allTerms(prefix: IndexSchema.Prefix.year).map {
            String($0.term.dropFirst(IndexSchema.Prefix.year.count))
        }.filter { $0.utf8.count == 4 && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }.sorted()
        days = try database.allTerms(prefix: IndexSchema.Prefix.day).compactMap { entry in
            let digits = entry.term.dropFirst(IndexSchema.Prefix.day.count)
            guard digits.utf8.count == 8, let date = ArticleDate(yyyymmdd: digits) else { return nil }
            return (date, entry.count)
        }
        datedDocuments = try database.valueFrequency(slot: IndexSchema.Slot.date)
        hasDateless = try datedDocuments < database.documentCount()
    }
}
