import Foundation
import Xapian

/// One search: builds the Xapian query from a SearchRequest, runs it, and shapes the response.
///
/// Dates, at archive size (issue 17):
/// - `sort=-date` / `sort=date` run as one value-sorted search per slice of time, newest (oldest) first, until the
///   page is full (DateSlicedSort), instead of one sort that ranks every match: the same hits in the same order
///   with the same scores. On an archive-sized index by runs of days, with percentages relative to the best match
///   in the days searched and, for free text, an estimated total; on smaller ones by year where Xapian knows the
///   match count up front (one category and no words, or one word and no filter), with the same total and
///   percentages too.
///   With facets (they count the whole match anyway) or collapse (a collapsed story's duplicates may lie in
///   another year) the single sorted search is kept.
/// - `from`/`to` are an OR of the `Y`/`M`/`D` terms covering the range (DateRangeFilter, Omega's
///   date_range_filter) on indexes of 50,000 articles or more: 2.5× faster than a range over the date value at
///   1M articles, with the same hits; smaller indexes keep the value range, which is cheaper there.
struct SearchExecution {
    let searcher: Searcher
    let request: SearchRequest
    /// Tests compare with the straightforward Xapian path: one sort by value over the whole match.
    var plainXapian = false
    /// From this many articles an index is archive-sized: date filters are terms (DateRangeFilter) and date
    /// sorts run over runs of days (DateSlicedSort). Tests lower it.
    var archiveDocuments = DateSlicedSort.archiveDocuments

    func run() throws(XapianError) -> SearchResponse {
        let database = searcher.database
        let reading = QueryReading(request.q, mode: request.mode, lowercase: searcher.settings.lowercaseQuery)
        let trimmed = QueryText.trimmed(reading.text)
        let parsed = trimmed.isEmpty ? Query.matchAll : try searcher.parser.parse(trimmed, flags: reading.flags)
        var query = parsed
        if reading.mode == .words {
            query = try ProximityBoost.boosting(
                query, text: trimmed, stopwords: searcher.settings.stopwords.wordSet,
                weight: searcher.settings.proximityWeight, window: searcher.settings.proximityWindow)
        }
        let filtered = try applyFilters(to: query)
        if request.feedback ?? searcher.settings.feedbackByDefault, !trimmed.isEmpty,
           let expansion = try RelevanceFeedback(searcher: searcher, weight: searcher.settings.feedbackWeight)
            .expansion(for: filtered)
        {
            query = try applyFilters(to: Query(.or, [query, expansion]))
        } else {
            query = filtered
        }
        let notes = try DatelessNotes(request: request, searcher: searcher)
        if let halfLife = request.recency, halfLife > 0, !notes.noDates {
            let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down)
            let boost = try Query.decay(slot: IndexSchema.Slot.dayNumber, origin: today, halfLife: halfLife,
                                        maxWeight: searcher.settings.recencyWeight)
            query = try Query(.andMaybe, [query, boost])
        }

        let builder = HitBuilder(searcher: searcher, queryText: request.snippets ? trimmed : nil)
        if !plainXapian, !notes.noDates, request.sort != .relevance, !request.collapse, request.facets.isEmpty,
           let page = try DateSlicedSort(searcher: searcher, query: query,
                                         descending: request.sort == .dateDescending, facts: searcher.dateFacts(),
                                         offset: request.offset, limit: request.limit,
                                         documents: database.documentCount(), from: request.from, to: request.to,
                                         archiveDocuments: archiveDocuments)
            .run()
        {
            return try sliced(page, builder: builder, notes: notes, reading: reading)
        }

        let enquire = try searcher.enquire(query)
        switch notes.noDates ? .relevance : request.sort {
        case .relevance: break
        case .date: try enquire.sortByValue(slot: IndexSchema.Slot.date, descending: false)
        case .dateDescending: try enquire.sortByValue(slot: IndexSchema.Slot.date, descending: true)
        }
        if request.collapse { try enquire.setCollapseKey(slot: IndexSchema.Slot.titleKey) }

        var spies: [(Facet, ValueCountMatchSpy)] = []
        for facet in request.facets {
            let spy = try ValueCountMatchSpy(slot: facet == .category ? IndexSchema.Slot.category : IndexSchema.Slot.month)
            try enquire.addMatchSpy(spy)
            spies.append((facet, spy))
        }
        // Facets count the whole match set, so the match must look at every document; otherwise counting up to
        // `exactCountThreshold` matches makes every small count exact (lower == upper) at little cost.
        let checkAtLeast = spies.isEmpty ? SearchSettings.exactCountThreshold : try database.documentCount()
        let mset = try enquire.mset(first: request.offset, maxItems: request.limit, checkAtLeast: checkAtLeast)

        var hits: [SearchHit] = []
        hits.reserveCapacity(mset.count)
        for index in 0..<mset.count {
            if let hit = try builder.hit(mset, index: index, rank: request.offset + index + 1,
                                         snippets: request.snippets, collapse: request.collapse) {
                hits.append(hit)
            }
        }

        let bounds = try mset.matches()
        var facets: [String: [FacetCount]]?
        if !spies.isEmpty {
            var counts: [String: [FacetCount]] = [:]
            for (facet, spy) in spies {
                counts[facet.rawValue] = try spy.topValues(100).map {
                    FacetCount(value: facet == .month ? FacetValues.isoMonth($0.term) : $0.term, count: $0.count)
                }
            }
            facets = counts
        }
        return SearchResponse(
            query: request.q,
            total: MatchCount(bounds),
            hits: hits, facets: facets, suggestion: try suggestion(for: reading), notes: notes.messages,
            tookMicroseconds: 0)
    }

    /// A date-sorted search one slice of time at a time (DateSlicedSort).
    private func sliced(_ page: DateSlicedSort.Page, builder: HitBuilder, notes: DatelessNotes,
                              reading: QueryReading) throws(XapianError) -> SearchResponse
    {
        var hits: [SearchHit] = []
        hits.reserveCapacity(request.limit)
        var position = 0
        for mset in page.slices {
            for index in 0..<mset.count {
                if var hit = try builder.hit(mset, index: index, rank: request.offset + position + 1,
                                             snippets: request.snippets, collapse: false)
                {
                    hit.percent = try page.scale.percent(forWeight: hit.score)
                    hits.append(hit)
                }
                position += 1
            }
        }
        return SearchResponse(
            query: request.q, total: page.total, hits: hits, facets: nil,
            suggestion: try suggestion(for: reading), notes: notes.messages, tookMicroseconds: 0)
    }

    /// "Did you mean": a words reading is corrected in the user's own text; in prose, only a word that matches
    /// nothing is (not one that matches by its stem: "surveyed" in a pasted paragraph; "earthquak" alone is).
    private func suggestion(for reading: QueryReading) throws(XapianError) -> String? {
        guard searcher.settings.spellingSuggestions else { return nil }
        var suggester = SpellingSuggestion(database: searcher.database, spelling: searcher.spelling)
        suggester.indexKeepsWordsAsWritten = searcher.stemming.keepsWordsAsWritten
        var text = QueryText.trimmed(reading.text)
        if reading.mode == .words {
            text = QueryText.trimmed(request.q)
            if reading.isProse { suggester.stemmer = searcher.stemmer }
        }
        return text.isEmpty ? nil : try suggester.suggestion(for: text)
    }

    /// Categories (any of them) and a date range narrow the match without changing its ranking.
    private func applyFilters(to query: Query) throws(XapianError) -> Query {
        var filters: [Query] = []
        if !request.categories.isEmpty {
            let terms = try request.categories.map { category throws(XapianError) in
                try Query(term: IndexSchema.categoryTerm(for: category))
            }
            filters.append(terms.count == 1 ? terms[0] : try Query(.or, terms))
        }
        if request.from != nil || request.to != nil {
            filters.append(try DateRangeFilter(from: request.from, to: request.to)
                .query(documents: searcher.database.documentCount(), years: searcher.dateFacts().years,
                       minimumDocuments: archiveDocuments))
        }
        guard !filters.isEmpty else { return query }
        return try Query(.filter, [query] + filters)
    }
}

/// An index whose articles have no dates (a folder of text files without date lines) cannot honour a date
/// parameter: the response says so instead of quietly returning nothing, relevance order or flat scores.
/// Reads the searcher's date facts (cached per revision), only when the request has a date parameter.
struct DatelessNotes {
    let noDates: Bool
    let messages: [String]?

    init(request: SearchRequest, searcher: Searcher) throws(XapianError) {
        let usesDates = request.from != nil || request.to != nil || request.sort != .relevance
            || request.recency != nil || request.facets.contains(.month)
        guard usesDates, try searcher.dateFacts().datedDocuments == 0 else {
            (noDates, messages) = (false, nil)
            return
        }
        var messages: [String] = []
        if request.from != nil || request.to != nil {
            messages.append("no article in this index has a date, so from/to match nothing")
        }
        if request.sort != .relevance {
            messages.append("no article in this index has a date, so sort=\(request.sort.rawValue) was ignored: "
                + "results are ranked by relevance")
        }
        if request.recency != nil {
            messages.append("no article in this index has a date, so recency was ignored")
        }
        if request.facets.contains(.month) {
            messages.append("no article in this index has a date, so the month facet is empty")
        }
        (noDates, self.messages) = (true, messages)
    }
}

enum FacetValues {
    /// "202310" → "2023-10".
    static func isoMonth(_ yyyymm: String) -> String {
        guard yyyymm.count == 6 else { return yyyymm }
        return "\(yyyymm.prefix(4))-\(yyyymm.suffix(2))"
    }
}
