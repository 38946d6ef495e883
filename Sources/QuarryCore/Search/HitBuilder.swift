import Xapian

/// Turns one MSet entry into a SearchHit. Without snippets it reads only the small summary value; with
/// snippets it needs the article's text, so it reads the document data.
struct HitBuilder {
    let searcher: Searcher

    func hit(_ mset: MSet, index: Int, rank: Int, snippets: Bool, collapse: Bool) throws(XapianError) -> SearchHit? {
        let item = try mset.item(index)
        let document = try mset.document(index)
        let summary: HitSummary
        var snippet: String?
        if snippets {
            guard let stored = try? StoredData.decode(document.data()) else { return nil }
            summary = HitSummary(stored)
            snippet = try mset.snippet(stored.text, stemmer: searcher.stemmer, options: .init(
                length: searcher.settings.snippetLength, backgroundModel: searcher.settings.snippetBackgroundModel,
                exhaustive: searcher.settings.snippetExhaustive))
        } else if let stored = try? HitSummary.decode(document.value(IndexSchema.Slot.summary)) {
            summary = stored
        } else {
            guard let stored = try? StoredData.decode(document.data()) else { return nil }
            summary = HitSummary(stored)
        }
        return SearchHit(rank: rank, id: summary.id, score: item.weight, percent: item.percent, title: summary.title,
                         date: summary.date, category: summary.category, url: summary.url, snippet: snippet,
                         collapsed: collapse ? item.collapseCount : nil)
    }
}

extension MatchCount {
    /// Xapian's estimate of how many documents match, with its bounds.
    init(_ bounds: MSet.Bounds) {
        self.init(estimated: bounds.estimated, lower: bounds.lower, upper: bounds.upper)
    }
}
