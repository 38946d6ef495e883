import Xapian

/// `sort=-date` / `sort=date` without ranking every match. Xapian's sort by value (then relevance) looks at every
/// matching document, whatever the page size; here the search runs once per slice of time (the query FILTERed
/// by `Y`, `M` or `D` terms), newest first for `-date` (oldest first for `date`), each slice sorted exactly as
/// before, and stops as soon as `offset + limit` hits are gathered. Dateless articles (no `Y` term, empty sort
/// value) come after every date under `-date` and before every date under `date`, as in Xapian's sort: they
/// are one more slice.
///
/// The page's hits, their order and scores are the single sorted search's (DateSlicedSearchTests): slices don't
/// overlap in the date value, so concatenated they are the whole order, and a filter adds no weight. Two ways:
/// - On an index of `archiveDocuments` or more: runs of consecutive days sized to hold a few pages' worth of
///   matches at the query's estimated match rate, widened when one comes up short (on the 1M bench a run is
///   often a day or two). Finding the whole match's best weight, or counting a free-text match, would cost
///   what the sort costs: percentages are relative to the best match in the slices that hold the page's hits,
///   and the total of free text is an estimate (the slices searched counted exactly, the rest extrapolated,
///   within Xapian's bounds); where Xapian knows the count before matching (one category, one word) it is exact.
/// - On smaller indexes, only where Xapian knows the count (its bounds for the query are equal): one slice per
///   year, the exact count, and percentages borrowed from a relevance-ordered search for the top hit. Everything
///   is as the single sorted search answered. Free text keeps the single sort there (cheap at that size).
struct DateSlicedSort {
    let searcher: Searcher
    let query: Query
    let descending: Bool
    let facts: DateFacts
    let offset: Int
    let limit: Int
    /// The index's document count.
    let documents: Int
    /// The request's `from`/`to`, already in `query` as a filter: days outside it hold no match.
    var from: ArticleDate? = nil
    var to: ArticleDate? = nil
    /// Sorts are sliced by runs of days on indexes of this many articles or more (tests lower it).
    var archiveDocuments = Self.archiveDocuments

    /// Below this many articles one sort over the whole match is cheap, and its exact percentages are kept.
    static let archiveDocuments = DateRangeFilter.minimumDocuments

    /// A run of days aims at this many times `offset + limit` matches (at the query's estimated rate), so that
    /// one slice usually fills the page.
    static let slack = 3.0

    struct Page {
        /// The slices' MSets that hold the page's hits, in page order (each holds only its part of the page).
        var slices: [MSet] = []
        var total: MatchCount
        /// The percentage scale: an MSet of the same query whose best weight is the one percentages are relative to.
        var scale: MSet
    }

    /// Nil when the single sorted search is the better way: free text on a small index, or where runs of days
    /// don't pay and the count is unknown: at most 1,000 possible matches (counted exactly then), a page so deep
    /// or a query so rare that the runs would cover much of the index, or an ascending sort over dateless
    /// articles (their slice, searched first, needs the whole match).
    func run() throws(XapianError) -> Page? {
        // The query's own bounds, before any matching (check_at_least 0).
        let tree = try searcher.enquire(query).mset(first: 0, maxItems: 0, checkAtLeast: 0).matches()
        if documents >= archiveDocuments, let page = try byDays(tree: tree) { return page }
        return tree.lower == tree.upper ? try byYear(count: tree.lower) : nil
    }

    /// One slice per year; the count is known, so the total is exact.
    private func byYear(count: Int) throws(XapianError) -> Page {
        var slices: [Query] = try facts.years.map { year throws(XapianError) in
            try Query(.filter, [query, Query(term: IndexSchema.Prefix.year + year)])
        }
        if descending { slices.reverse() }
        if facts.hasDateless {
            let dateless = try datelessSlice()
            if descending { slices.append(dateless) } else { slices.insert(dateless, at: 0) }
        }
        var gathered = Gathered(skip: offset, need: limit)
        for slice in slices where gathered.need > 0 {
            try gathered.add(sortedSearch(slice, gathered))
        }
        // The best weight of the whole match sets the percentages; a relevance search for one hit finds it
        // (skipping what cannot beat it).
        let scale = try searcher.enquire(query).mset(first: 0, maxItems: 1, checkAtLeast: 1)
        return Page(slices: gathered.pages, total: MatchCount(estimated: count, lower: count, upper: count),
                    scale: scale)
    }

    /// Runs of consecutive days, newest (oldest) first, each expected to hold `slack` pages of matches; the total
    /// is exact when Xapian knows the count, estimated otherwise.
    private func byDays(tree: MSet.Bounds) throws(XapianError) -> Page? {
        let wanted = offset + limit
        // Only the days the query's date filter lets through (a slice of the ascending list, not a copy: this runs
        // on every sorted request); dateless articles pass no date filter.
        let all = facts.days
        let start = from.map { bound in all.firstIndex { $0.date >= bound } ?? all.endIndex } ?? all.startIndex
        let end = to.map { bound in all.lastIndex { $0.date <= bound }.map { $0 + 1 } ?? start } ?? all.endIndex
        let days = all[start..<max(start, end)]
        let dateless = from == nil && to == nil && facts.hasDateless
        let datedInRange = days.reduce(0) { $0 + $1.documents }
        let universe = datedInRange + (dateless ? documents - facts.datedDocuments : 0)
        // At most `exactCountThreshold` matches: the single sort is cheap and counts them exactly, as a search does.
        guard limit > 0, tree.upper > SearchSettings.exactCountThreshold, descending || !dateless, !days.isEmpty
        else { return nil }
        let rate = Double(tree.estimated) / Double(universe)
        var span = Double(wanted) * Self.slack / rate
        guard span < Double(datedInRange) / 4 else { return nil }
        // Newest (oldest) first: a cursor that walks the slice down (up).
        let step = descending ? -1 : 1
        var next = descending ? days.endIndex - 1 : days.startIndex

        var gathered = Gathered(skip: offset, need: limit)
        var last: MSet?
        var searched = 0, matched = 0
        while gathered.need > 0, days.indices.contains(next) {
            let runStart = days[next].date
            var runDocuments = 0
            while days.indices.contains(next), Double(runDocuments) < span || runDocuments == 0 {
                runDocuments += days[next].documents
                next += step
            }
            let runEnd = days[next - step].date
            let (earliest, latest) = descending ? (runEnd, runStart) : (runStart, runEnd)
            let terms = try DateRangeFilter.terms(from: earliest, to: latest).map { term throws(XapianError) in
                try Query(term: term)
            }
            let mset = try sortedSearch(Query(.filter, [query, terms.count == 1 ? terms[0] : Query(.or, terms)]),
                                        gathered)
            matched += try gathered.add(mset)
            searched += runDocuments
            last = mset
            // Fewer matches than expected here: widen the next run.
            span *= 2
        }
        if gathered.need > 0, dateless {
            let mset = try sortedSearch(datelessSlice(), gathered)
            matched += try gathered.add(mset)
            searched += documents - facts.datedDocuments
            last = mset
        }
        // The scale: the slice holding hits whose best weight is greatest (Xapian sets an MSet's percentage
        // scale only when it holds hits). Without hits, any will do.
        var scale = last!, best = -1.0
        for page in gathered.pages {
            let weight = try page.maxAttained()
            if weight > best { (scale, best) = (page, weight) }
        }
        let total = tree.lower == tree.upper
            ? MatchCount(estimated: tree.lower, lower: tree.lower, upper: tree.upper)
            : Self.total(matched: matched, searched: searched, documents: universe, tree: tree)
        return Page(slices: gathered.pages, total: total, scale: scale)
    }

    /// Exact where every article was searched; otherwise the slices' match rate over the whole index, kept
    /// within what is known: at least what was found (and Xapian's lower bound), at most that plus every
    /// article not searched (and Xapian's upper bound).
    static func total(matched: Int, searched: Int, documents: Int, tree: MSet.Bounds) -> MatchCount {
        guard searched < documents else { return MatchCount(estimated: matched, lower: matched, upper: matched) }
        let lower = max(tree.lower, matched)
        let upper = max(lower, min(tree.upper, matched + documents - searched))
        let rate = searched == 0 ? 0 : Double(matched) / Double(searched)
        let estimated = Int((rate * Double(documents)).rounded())
        return MatchCount(estimated: min(max(estimated, lower), upper), lower: lower, upper: upper)
    }

    /// The query's dateless matches: those without any year term.
    private func datelessSlice() throws(XapianError) -> Query {
        guard !facts.years.isEmpty else { return query }
        let anyYear = try Query(.or, try facts.years.map { year throws(XapianError) in
            try Query(term: IndexSchema.Prefix.year + year)
        })
        return try Query(.andNot, [query, anyYear])
    }

    /// One slice sorted by date, from where the page still starts in it.
    private func sortedSearch(_ slice: Query, _ gathered: Gathered) throws(XapianError) -> MSet {
        let enquire = try searcher.enquire(slice)
        try enquire.sortByValue(slot: IndexSchema.Slot.date, descending: descending)
        return try enquire.mset(first: gathered.skip, maxItems: gathered.need, checkAtLeast: 0)
    }
}

/// The page as the slices fill it: how many hits to skip still, how many are still wanted.
private struct Gathered {
    var skip: Int
    var need: Int
    var pages: [MSet] = []

    /// Takes a slice's sorted search and returns the slice's match count: a value sort looks at every match, so
    /// its lower bound is exact.
    @discardableResult
    mutating func add(_ mset: MSet) throws(XapianError) -> Int {
        let count = try mset.matches().lower
        if count <= skip {
            skip -= count
            return count
        }
        skip = 0
        need -= mset.count
        pages.append(mset)
        return count
    }
}
