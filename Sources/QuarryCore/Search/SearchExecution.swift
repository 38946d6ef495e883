import Foundation
import Xapian

/// One search: builds the Xapian query from a SearchRequest, runs it, and shapes the response.
struct SearchExecution {
    let searcher: Searcher
    let request: SearchRequest

    func run() throws(XapianError) -> SearchResponse {
        let database = searcher.database
        let text = searcher.settings.lowercaseQuery ? QueryText.lowercasingWords(request.q) : request.q
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = trimmed.isEmpty ? Query.matchAll : try searcher.parser.parse(trimmed, flags: Searcher.parserFlags)
        var query = try applyFilters(to: parsed)
        if let halfLife = request.recency, halfLife > 0 {
            let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down)
            let boost = try Query.decay(slot: IndexSchema.Slot.dayNumber, origin: today, halfLife: halfLife,
                                        maxWeight: searcher.settings.recencyWeight)
            query = try Query(.andMaybe, [query, boost])
        }

        let enquire = try Enquire(database: database)
        try enquire.setQuery(query)
        try enquire.setWeighting(searcher.settings.bm25)
        if searcher.settings.timeLimit > 0 { try enquire.setTimeLimit(seconds: searcher.settings.timeLimit) }
        switch request.sort {
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
        // Facets count the whole match set, so the match must look at every document.
        let checkAtLeast = spies.isEmpty ? 0 : try database.documentCount()
        let mset = try enquire.mset(first: request.offset, maxItems: request.limit, checkAtLeast: checkAtLeast)

        var hits: [SearchHit] = []
        hits.reserveCapacity(mset.count)
        for index in 0..<mset.count {
            let item = try mset.item(index)
            let data = try mset.document(index).data()
            guard let stored = try? StoredData.decode(data) else { continue }
            let snippet = request.snippets
                ? try mset.snippet(stored.text, stemmer: searcher.stemmer,
                                   options: .init(length: searcher.settings.snippetLength))
                : nil
            hits.append(SearchHit(
                rank: request.offset + index + 1, id: stored.id, score: item.weight, percent: item.percent,
                title: stored.title, date: stored.date, category: stored.category, url: stored.url,
                snippet: snippet, collapsed: request.collapse ? item.collapseCount : nil))
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
            total: MatchCount(estimated: bounds.estimated, lower: bounds.lower, upper: bounds.upper),
            hits: hits, facets: facets, suggestion: try suggestion(for: trimmed), tookMicroseconds: 0)
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
            let from = Array((request.from?.yyyymmdd ?? "00000000").utf8)
            let to = Array((request.to?.yyyymmdd ?? "99999999").utf8)
            filters.append(try Query.valueRange(slot: IndexSchema.Slot.date, from: from, to: to))
        }
        guard !filters.isEmpty else { return query }
        return try Query(.filter, [query] + filters)
    }

    /// "Did you mean": only asked for when some query word is unknown to the index, since the lookup
    /// costs more than the search itself.
    private func suggestion(for text: String) throws(XapianError) -> String? {
        guard searcher.settings.spellingSuggestions, !text.isEmpty else { return nil }
        let words = text.split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }
        var unknown = false
        for word in words where word.count > 2 {
            if try searcher.database.termFrequency(word) == 0 {
                unknown = true
                break
            }
        }
        guard unknown else { return nil }
        _ = try searcher.parser.parse(text, flags: Searcher.parserFlags.union(.spellingCorrection))
        return try searcher.parser.correctedQuery()
    }
}

enum FacetValues {
    /// "202310" → "2023-10".
    static func isoMonth(_ yyyymm: String) -> String {
        guard yyyymm.count == 6 else { return yyyymm }
        return "\(yyyymm.prefix(4))-\(yyyymm.suffix(2))"
    }
}
