import Xapian

/// Pseudo-relevance feedback (issue 18, the RM3 idea with Xapian's own tools): the query's top documents are
/// taken as relevant, Xapian's `Enquire::get_eset` picks the terms that best characterise them, and those
/// terms are added to the query with `OP_OR`, their weight scaled down, so articles that say the same thing in
/// other words are found too. Costs a second search (the top documents, then the expanded query).
struct RelevanceFeedback {
    let searcher: Searcher
    /// Top documents taken as relevant.
    var documents = 10
    /// Expansion terms added.
    var terms = 10
    /// Their weight, as a share of a query term's.
    var weight: Double

    /// The expansion terms for `query` (filters applied: the top documents are the ones the user would see),
    /// as one scaled OR; nil when it matches nothing or gives no new term.
    func expansion(for query: Query) throws(XapianError) -> Query? {
        let enquire = try searcher.enquire(query)
        let top = try enquire.mset(maxItems: documents, checkAtLeast: 0).items().map(\.docid)
        guard !top.isEmpty else { return nil }
        let chosen = try SimilarArticles.expansionTerms(enquire, relevant: top, count: terms,
                                                         excluding: Set(try query.terms()))
        guard !chosen.isEmpty else { return nil }
        return try Query(.or, chosen.map { term throws(XapianError) in try Query(term: term) }).scaled(by: weight)
    }
}
