import Xapian

/// `sort=-date` / `sort=date` without ranking every match. Xapian's sort by value (then relevance) looks at every
/// matching document, whatever the page size; here the search runs once per slice of time (the query FILTERed
/// by `Y` or `M` terms), newest first for `-date` (oldest first for `date`), each slice sorted exactly as before,
/// and stops as soon as `offset + limit` hits are gathered. Dateless articles (no `Y` term, empty sort value)
/// come after every date under `-date` and before every date under `date`, as in Xapian's sort: they are one
/// more slice.
///
/// The page's hits, their order and scores are the single sorted search's (DateSlicedSearchTests): slices don't
/// overlap in the date value, so concatenated they are the whole order, and a filter adds no weight. Two ways:
/// - Xapian knows the match count before matching (its bounds for the query are equal: one category with no
///   words, one word with no filter): one slice per year, the total is that exact count, and percentages are
///   borrowed from a relevance-ordered search for the top hit (cheap for such queries). Everything is as the
///   single sorted search answered.
/// - Otherwise (free text), on an index of `archiveDocuments` or more: slices of consecutive months sized to hold
///   a few pages' worth of matches at the query's estimated match rate, widened when one comes up short.
///   Counting the whole match or finding its best weight would cost what the sort costs, so the total is an
///   estimate (exact counts of the slices searched, extrapolated over the rest, within Xapian's bounds) and
///   percentages are relative to the best match in the slices that hold the page's hits.
struct DateSlicedSort {
    let searcher: Searcher
    let query: Query
    let descending: Bool
    let facts: DateFacts
    let offset: Int
    let limit: Int
    /// The index's document count.
    let documents: Int
    /// Free-text sorts are sliced on indexes of this many articles or more (tests lower it).
    var archiveDocuments = Self.archiveDocuments

    /// Below this many articles one sort over the whole match is cheap, and its exact total and percentages
    /// are kept for free text.
    static let archiveDocuments = DateRangeFilter.minimumDocuments

    /// A month slice aims at this many times `offset + limit` matches (at the query's estimated rate), so that
    /// one slice usually fills the page.
    static let slack = 3.0

    struct Page {
        /// The slices' MSets that hold the page's hits, in page order (each holds only its part of the page).
        var slices: [MSet] = []
        var total: MatchCount
        /// The percentage scale: an MSet of the same query whose best weight is the one percentages are relative to.
        var scale: MSet
    }

    /// Nil when the single sorted search is the better way: a free-text query on a small index, a page so deep or
    /// a query so rare that the slices would cover much of the index, or an ascending sort over dateless
    /// articles (their slice, searched first, would need the whole match).
    func run() throws(XapianError) -> Page? {
        // The query's own bounds, before any matching (check_at_least 0).
        let tree = try searcher.enquire(query).mset(first: 0, maxItems: 0, checkAtLeast: 0).matches()
        if tree.lower == tree.upper { return try byYear(count: tree.lower) }
        return try byMonths(tree: tree)
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

    /// Runs of consecutive months, newest (oldest) first, each expected to hold `slack` pages of matches.
    private func byMonths(tree: MSet.Bounds) throws(XapianError) -> Page? {
        let wanted = offset + limit
        guard documents >= archiveDocuments, limit > 0, tree.estimated > 0, descending || !facts.hasDateless,
              !facts.months.isEmpty
        else { return nil }
        let rate = Double(tree.estimated) / Double(documents)
        var span = Double(wanted) * Self.slack / rate
        guard span < Double(facts.datedDocuments) / 4 else { return nil }

        let months = descending ? Array(facts.months.reversed()) : facts.months
        var gathered = Gathered(skip: offset, need: limit)
        var last: MSet?
        var searched = 0, matched = 0, next = 0
        while gathered.need > 0, next < months.count {
            var run: [Query] = []
            var runDocuments = 0
            while next < months.count, Double(runDocuments) < span || run.isEmpty {
                run.append(try Query(term: months[next].term))
                runDocuments += months[next].documents
                next += 1
            }
            let mset = try sortedSearch(Query(.filter, [query, run.count == 1 ? run[0] : Query(.or, run)]), gathered)
            matched += try gathered.add(mset)
            searched += runDocuments
            last = mset
            // Fewer matches than expected here: widen the next run.
            span *= 2
        }
        if gathered.need > 0, facts.hasDateless {
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
        return Page(slices: gathered.pages, total: Self.total(matched: matched, searched: searched,
                                                              documents: documents, tree: tree),
                    scale: scale)
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
