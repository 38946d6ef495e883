import Foundation
import Xapian

/// One search: builds the Xapian query from a SearchRequest, runs it, and shapes the response.
struct SearchExecution {
    let searcher: Searcher
    let request: SearchRequest

    func run() throws(XapianError) -> SearchResponse {
        let database = searcher.database
        let text = searcher.settings.lowercaseQuery ? QueryText.lowercasingWords(request.q) : request.q
        let trimmed = QueryText.trimmed(text)
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
        let builder = HitBuilder(searcher: searcher)
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

    /// "Did you mean": each word the index has never seen as written is replaced by
    /// its spelling correction; known words, operators and punctuation stay as they are.
    private func suggestion(for text: String) throws(XapianError) -> String? {
        guard searcher.settings.spellingSuggestions, !text.isEmpty else { return nil }
        // Unicode scalars, not Characters: this runs on every search, and grapheme breaking is slow.
        let scalars = text.unicodeScalars
        var corrected = String.UnicodeScalarView()
        var changed = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            guard scalars[index].properties.isAlphabetic else {
                corrected.append(scalars[index])
                index = scalars.index(after: index)
                continue
            }
            let start = index
            while index < scalars.endIndex && scalars[index].properties.isAlphabetic { index = scalars.index(after: index) }
            let word = String(scalars[start..<index])
            if let replacement = try correction(for: word) {
                corrected.append(contentsOf: replacement.unicodeScalars)
                changed = true
            } else {
                corrected.append(contentsOf: scalars[start..<index])
            }
        }
        return changed ? String(corrected) : nil
    }

    private func correction(for word: String) throws(XapianError) -> String? {
        let lower = word.lowercased()
        guard lower.count > 2, !QueryText.isOperator(Substring(word)) else { return nil }
        let database = searcher.database
        // Every indexed word is also kept unstemmed, so an unknown word is one that never occurs as written
        // (its stem may still match: "earthquak" finds earthquakes, yet it is worth correcting).
        if try database.termFrequency(lower) > 0 { return nil }
        return try database.spellingSuggestion(for: lower)
    }
}

enum FacetValues {
    /// "202310" → "2023-10".
    static func isoMonth(_ yyyymm: String) -> String {
        guard yyyymm.count == 6 else { return yyyymm }
        return "\(yyyymm.prefix(4))-\(yyyymm.suffix(2))"
    }
}
