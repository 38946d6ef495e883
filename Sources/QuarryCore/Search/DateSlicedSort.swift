import Foundation
import Xapian

/// `sort=-date` / `sort=date` without ranking every match. Xapian's sort by value (then relevance) looks at every
/// matching document, whatever the page size; here the search runs once per year (the query FILTERed by a `Y`
/// term), newest year first for `-date` (oldest first for `date`), each sorted exactly as before, and stops as
/// soon as `offset + limit` hits are gathered. Dateless articles (no `Y` term, empty sort value) come after every
/// year under `-date` and before every year under `date`, as in Xapian's sort: they are one more slice.
///
/// What the page shows is what the single sorted search showed (tested against it, SortedSearchTests):
/// - order: years don't overlap in the date value, so the slices concatenated are the whole order;
/// - scores: a filter adds no weight;
/// - percentages: Xapian scales them by the best weight of the whole match, so they are borrowed from a
///   relevance-ordered search for the top hit (cheap: it skips what cannot beat it);
/// - total: the sorted search sees every match, so its lower bound is the exact count, with the query's
///   estimate and upper bound above `exactCountThreshold`; the count comes from that same relevance search
///   when it is exact, from the slices when they covered everything, else from a boolean count-only search
///   (no weights, no values: a walk of the posting lists).
struct DateSlicedSort {
    let searcher: Searcher
    let query: Query
    let descending: Bool
    let facts: DateFacts
    let offset: Int
    let limit: Int

    struct Page {
        /// Each slice's MSet and how many of its items belong to the page (all of them: the MSet is that part).
        var slices: [MSet] = []
        var total: MatchCount
        /// Borrowed percentage scale: the relevance-ordered MSet of the same query.
        var scale: MSet
    }

    private func enquire(_ query: Query) throws(XapianError) -> Enquire {
        let enquire = try Enquire(database: searcher.database)
        try enquire.setQuery(query)
        try enquire.setWeighting(searcher.settings.bm25)
        if searcher.settings.timeLimit > 0 { try enquire.setTimeLimit(seconds: searcher.settings.timeLimit) }
        return enquire
    }

    func run() throws(XapianError) -> Page {
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
        var skip = offset, need = limit, seen = 0, allSeen = true
        for (index, slice) in slices.enumerated() {
            if need == 0 { allSeen = index == slices.count; break }
            let enquire = try enquire(slice)
            try enquire.sortByValue(slot: IndexSchema.Slot.date, descending: descending)
            let mset = try enquire.mset(first: skip, maxItems: need, checkAtLeast: 0)
            // A value sort looks at every match of the slice, so the lower bound is its exact count.
            let count = try mset.matches().lower
            seen += count
            if count <= skip {
                skip -= count
                continue
            }
            skip = 0
            need -= mset.count
            pages.append(mset)
        }

        let cap = SearchSettings.exactCountThreshold
        let relevance = try enquire(query)
        let scale = try relevance.mset(first: 0, maxItems: 1, checkAtLeast: cap)
        let bounds = try scale.matches()
        let exact: Int
        if allSeen {
            exact = seen
        } else if bounds.lower == bounds.upper {
            exact = bounds.lower
        } else {
            let counter = try Enquire(database: searcher.database)
            try counter.setQuery(query)
            try counter.setBooleanWeighting()
            exact = try counter.mset(first: 0, maxItems: 0, checkAtLeast: searcher.database.documentCount())
                .matches().lower
        }
        // As Xapian reports a sorted search (multimatch.cc): exact below check_at_least or a short page; else the
        // exact count as lower bound, the query's own estimate (at least that) and upper bound.
        let total: MatchCount
        if exact < max(cap, offset + limit) {
            total = MatchCount(estimated: exact, lower: exact, upper: exact)
        } else {
            // The query's own estimate and upper bound, before any matching (check_at_least 0): the relevance
            // search's estimate may be refined by what it skipped.
            // Xapian rounds the estimate it reports; the uncollapsed estimate (no collapse here) is the raw one.
            let tree = try enquire(query).mset(first: 0, maxItems: 0, checkAtLeast: 0)
            let upper = try tree.matches().upper
            let estimate = max(try tree.uncollapsedMatches().estimated, exact)
            total = MatchCount(estimated: Self.roundEstimate(lower: exact, upper: upper, estimate: estimate),
                               lower: exact, upper: upper)
        }
        return Page(slices: pages, total: total, scale: scale)
    }

    /// Xapian 1.4's round_estimate (api/roundestimate.h), which MSet::get_matches_estimated applies: the estimate
    /// to as many significant figures as the bounds justify.
    static func roundEstimate(lower: Int, upper: Int, estimate: Int) -> Int {
        let scale = min(upper - lower, estimate)
        if scale <= 10 { return estimate }
        let r = Int(pow(10.0, Double(Int(log10(Double(scale))))) + 0.5)
        var result = estimate / r * r
        if result < lower {
            result += r
        } else if result > upper - r {
        } else {
            let d = 2 * (estimate - result)
            if d > r || (d == r && result - lower <= upper - r - result) { result += r }
        }
        return result
    }
}
