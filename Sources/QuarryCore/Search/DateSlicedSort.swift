import Xapian

/// `sort=-date` / `sort=date` without ranking every match. Xapian's sort by value (then relevance) looks at every
/// matching document, whatever the page size; here the search runs once per year (the query FILTERed by a `Y`
/// term), newest year first for `-date` (oldest first for `date`), each sorted exactly as before, and stops as
/// soon as `offset + limit` hits are gathered. Dateless articles (no `Y` term, empty sort value) come after every
/// year under `-date` and before every year under `date`, as in Xapian's sort: they are one more slice.
///
/// What the page shows is what the single sorted search showed (tested against it, DateSlicedSearchTests):
/// - order: years don't overlap in the date value, so the slices concatenated are the whole order;
/// - scores: a filter adds no weight;
/// - percentages: Xapian scales them by the best weight of the whole match, so they are borrowed from a
///   relevance-ordered search for the top hit (cheap: it skips what cannot beat it);
/// - total: the sorted search sees every match, so it reports the exact count as lower bound. Slicing is used
///   only when Xapian knows that count before matching (its bounds for the query are equal: one category
///   with no words, or one word with no filter); otherwise counting the whole match would cost what the
///   sort costs, and the single sorted search runs (see `run`).
struct DateSlicedSort {
    let searcher: Searcher
    let query: Query
    let descending: Bool
    let facts: DateFacts
    let offset: Int
    let limit: Int

    struct Page {
        /// The slices' MSets that hold the page's hits, in page order (each holds only its part of the page).
        var slices: [MSet] = []
        var total: MatchCount
        /// Borrowed percentage scale: the relevance-ordered MSet of the same query.
        var scale: MSet
    }

    /// Nil when the query's match count is not known without matching (Xapian's bounds differ): the single
    /// sorted search reports the exact count, and counting the whole match costs as much as that sort
    /// (measured with the Python bindings on 50k synthetic articles, free-text queries: full sort 1.34 ms;
    /// one year's slice 0.66 ms + exact count 0.66 ms + top-1 relevance 0.47 ms), so the caller keeps the
    /// single sort then.
    func run() throws(XapianError) -> Page? {
        // The query's own bounds, before any matching (check_at_least 0).
        let tree = try searcher.enquire(query).mset(first: 0, maxItems: 0, checkAtLeast: 0).matches()
        guard tree.lower == tree.upper else { return nil }
        var slices: [Query] = try facts.years.map { year throws(XapianError) in
            try Query(.filter, [query, Query(term: IndexSchema.Prefix.year + year)])
        }
        if descending { slices.reverse() }
        if facts.hasDateless {
            let anyYear = try Query(.or, try facts.years.map { year throws(XapianError) in
                try Query(term: IndexSchema.Prefix.year + year)
            })
            let dateless = facts.years.isEmpty ? query : try Query(.andNot, [query, anyYear])
            if descending { slices.append(dateless) } else { slices.insert(dateless, at: 0) }
        }

        var pages: [MSet] = []
        var skip = offset, need = limit
        for slice in slices where need > 0 {
            let enquire = try searcher.enquire(slice)
            try enquire.sortByValue(slot: IndexSchema.Slot.date, descending: descending)
            let mset = try enquire.mset(first: skip, maxItems: need, checkAtLeast: 0)
            // A value sort looks at every match of the slice, so the lower bound is its exact count.
            let count = try mset.matches().lower
            if count <= skip {
                skip -= count
                continue
            }
            skip = 0
            need -= mset.count
            pages.append(mset)
        }
        // The best weight of the whole match sets the percentages; a relevance search for one hit finds it
        // (skipping what cannot beat it).
        let scale = try searcher.enquire(query).mset(first: 0, maxItems: 1, checkAtLeast: 1)
        // Known bounds are exact: what the sorted search reports too.
        return Page(slices: pages, total: MatchCount(estimated: tree.lower, lower: tree.lower, upper: tree.upper),
                    scale: scale)
    }
}
