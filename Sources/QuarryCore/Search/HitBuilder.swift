import Xapian

/// Turns one MSet entry into a SearchHit. Without snippets it reads only the small summary value; with
/// snippets it needs the article's text, so it reads the document data (its string fields only) and hands
/// Xapian a window of the text around the query's words (SnippetWindow) rather than the whole article.
struct HitBuilder {
    let searcher: Searcher
    /// Where each hit's snippet comes from; nil when the search has no snippets.
    let window: SnippetWindow?

    init(searcher: Searcher, queryText: String? = nil) {
        self.searcher = searcher
        window = queryText.map { query in
            SnippetWindow(query: query, stemmer: searcher.stemmer,
                          stopwords: searcher.settings.stopwords.wordSet,
                          size: searcher.settings.snippetWindowBytes)
        }
    }

    func hit(_ mset: MSet, index: Int, rank: Int, snippets: Bool, collapse: Bool) throws(XapianError) -> SearchHit? {
        let item = try mset.item(index)
        let document = try mset.document(index)
        let summary: HitSummary
        var snippet: String?
        if snippets {
            guard let stored = try? SnippetSource(document.data()) else { return nil }
            summary = stored.summary
            snippet = try self.snippet(stored.text, mset: mset)
        } else if let stored = try? HitSummary.decode(document.value(IndexSchema.Slot.summary)) {
            summary = stored
        } else {
            guard let stored = try? SnippetSource(document.data()) else { return nil }
            summary = stored.summary
        }
        return SearchHit(rank: rank, id: summary.id, score: item.weight, percent: item.percent, title: summary.title,
                         date: summary.date, category: summary.category, url: summary.url, snippet: snippet,
                         collapsed: collapse ? item.collapseCount : nil)
    }

    /// Xapian's snippet of `text`, built from the window around the query's words when the text is long. A
    /// cut the snippet reaches gets Xapian's omission mark, so "…" still means "the article goes on".
    func snippet(_ text: String, mset: MSet) throws(XapianError) -> String {
        let settings = searcher.settings
        let options = MSet.SnippetOptions(length: settings.snippetLength, backgroundModel: settings.snippetBackgroundModel,
                                          exhaustive: settings.snippetExhaustive)
        guard let window, let part = window.window(in: text) else {
            return try mset.snippet(text, stemmer: searcher.stemmer, options: options)
        }
        var snippet = try mset.snippet(String(part.text), stemmer: searcher.stemmer, options: options)
        if part.cutBefore, !snippet.hasPrefix(options.omit) { snippet = options.omit + snippet }
        if part.cutAfter, !snippet.hasSuffix(options.omit) { snippet += options.omit }
        return snippet
    }
}

/// What a hit needs from the document data: the summary fields and the text, read with the byte-level parser
/// straight into strings (no JSONValue tree, `extra` skipped).
struct SnippetSource {
    var summary: HitSummary
    var text: String

    init(_ bytes: [UInt8]) throws {
        var standfirst = "", body = ""
        summary = try HitSummary.decode(bytes, skippingOtherValues: true) { key, value in
            if key == "standfirst" { standfirst = value } else if key == "body" { body = value }
        }
        text = StoredArticle.text(standfirst: standfirst, body: body)
    }
}

extension MatchCount {
    /// Xapian's estimate of how many documents match, with its bounds.
    init(_ bounds: MSet.Bounds) {
        self.init(estimated: bounds.estimated, lower: bounds.lower, upper: bounds.upper)
    }
}
