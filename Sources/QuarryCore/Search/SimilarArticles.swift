import Xapian

/// More like this: the article's best expansion terms (Xapian's RSet → ESet) become an OR query.
struct SimilarArticles {
    let searcher: Searcher
    let docid: DocumentID
    let id: String
    let limit: Int

    /// How many expansion terms make the query: enough to characterise a news story, few enough to be quick.
    static let termCount = 25

    func run() throws(XapianError) -> SearchResponse {
        let enquire = try Enquire(database: searcher.database)
        try enquire.setWeighting(searcher.settings.bm25)
        let words = try Self.expansionTerms(enquire, relevant: [docid], count: Self.termCount)
        guard !words.isEmpty else {
            return SearchResponse(query: "similar:\(id)", total: MatchCount(estimated: 0, lower: 0, upper: 0),
                                  hits: [], tookMicroseconds: 0)
        }
        let terms = try words.map { term throws(XapianError) in try Query(term: term) }
        let query = try Query(.andNot, [Query(.or, terms), Query(term: IndexSchema.uniqueTerm(for: id))])
        try enquire.setQuery(query)
        let mset = try enquire.mset(maxItems: limit, checkAtLeast: SearchSettings.exactCountThreshold)
        let builder = HitBuilder(searcher: searcher)
        var hits: [SearchHit] = []
        for index in 0..<mset.count {
            if let hit = try builder.hit(mset, index: index, rank: index + 1, snippets: false, collapse: false) {
                hits.append(hit)
            }
        }
        let bounds = try mset.matches()
        return SearchResponse(query: "similar:\(id)",
                              total: MatchCount(bounds),
                              hits: hits, tookMicroseconds: 0)
    }

    /// The best `count` words (Xapian's ESet) to find more documents like `relevant`, leaving out `known` ones.
    static func expansionTerms(_ enquire: Enquire, relevant: [DocumentID], count: Int,
                               excluding known: Set<String> = []) throws(XapianError) -> [String] {
        // Ask for extra: boolean and field terms (ids, dates, categories, titles) are dropped.
        let candidates = try enquire.expandTerms(relevant: relevant, maxItems: count * 3)
        return Array(candidates.map(\.term).filter { isContentTerm($0) && !known.contains($0) }.prefix(count))
    }

    /// Unprefixed words and their Z-prefixed stems; not ids, dates, categories or title copies.
    static func isContentTerm(_ term: String) -> Bool {
        guard let first = term.unicodeScalars.first else { return false }
        if first == "Z" { return true }
        return !(first.properties.isUppercase)
    }
}
