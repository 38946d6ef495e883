import CXapian

/// A page of ranked matches (Xapian::MSet).
public final class MSet {
    let handle: OpaquePointer

    public struct Item: Sendable, Equatable {
        public var docid: DocumentID
        public var weight: Double
        public var percent: Int
        /// How many other matches with the same collapse key were dropped for this one.
        public var collapseCount: Int
    }

    public struct Bounds: Sendable, Equatable {
        public var lower: Int
        public var estimated: Int
        public var upper: Int

        public init(lower: Int, estimated: Int, upper: Int) {
            (self.lower, self.estimated, self.upper) = (lower, estimated, upper)
        }
    }

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { qx_mset_free(handle) }

    public var count: Int { Int(qx_mset_size(handle)) }
    public var firstItem: Int { Int(qx_mset_firstitem(handle)) }

    public func matches() throws(XapianError) -> Bounds {
        var lower: UInt32 = 0, estimated: UInt32 = 0, upper: UInt32 = 0
        try shimCall { qx_mset_bounds(handle, &lower, &estimated, &upper, $0) }
        return Bounds(lower: Int(lower), estimated: Int(estimated), upper: Int(upper))
    }

    public func uncollapsedMatches() throws(XapianError) -> Bounds {
        var lower: UInt32 = 0, estimated: UInt32 = 0, upper: UInt32 = 0
        try shimCall { qx_mset_uncollapsed_bounds(handle, &lower, &estimated, &upper, $0) }
        return Bounds(lower: Int(lower), estimated: Int(estimated), upper: Int(upper))
    }

    /// Asks the backend to load every document of the page at once (fewer round trips for remote ones).
    public func prefetch() throws(XapianError) {
        try shimCall { qx_mset_fetch(handle, $0) }
    }

    public func item(_ index: Int) throws(XapianError) -> Item {
        var docid: UInt32 = 0, weight = 0.0, percent: Int32 = 0, collapsed: UInt32 = 0
        try shimCall { qx_mset_item(handle, UInt32(index), &docid, &weight, &percent, &collapsed, $0) }
        return Item(docid: docid, weight: weight, percent: Int(percent), collapseCount: Int(collapsed))
    }

    /// A weight as a percentage on this MSet's scale (Xapian::MSet::convert_to_percent): the scale is set by the
    /// best weight the match saw, so another MSet of the same query can borrow it.
    public func percent(forWeight weight: Double) throws(XapianError) -> Int {
        var percent: Int32 = 0
        try shimCall { qx_mset_convert_to_percent(handle, weight, &percent, $0) }
        return Int(percent)
    }

    /// The greatest weight of any document the match looked at (Xapian::MSet::get_max_attained): the weight that
    /// sets this MSet's percentage scale.
    public func maxAttained() throws(XapianError) -> Double {
        var weight = 0.0
        try shimCall { qx_mset_max_attained(handle, &weight, $0) }
        return weight
    }

    public func items() throws(XapianError) -> [Item] {
        var result: [Item] = []
        result.reserveCapacity(count)
        for index in 0..<count { result.append(try item(index)) }
        return result
    }

    public func document(_ index: Int) throws(XapianError) -> Document {
        var out: OpaquePointer?
        try shimCall { qx_mset_document(handle, UInt32(index), &out, $0) }
        return Document(handle: out!)
    }

    public struct SnippetOptions: Sendable {
        public var length = 300
        public var highlightStart = "<b>"
        public var highlightEnd = "</b>"
        public var omit = "…"
        /// Return "" rather than the text's start when nothing matches.
        public var emptyWithoutMatch = false
        /// Weigh non-query words by their rarity in the database when choosing the passage (Xapian's
        /// default): better passages, but a term lookup per distinct word of the text.
        public var backgroundModel = true
        /// Score every candidate passage instead of stopping at a good-enough one (Xapian's default).
        public var exhaustive = true
        public init(length: Int = 300, highlightStart: String = "<b>", highlightEnd: String = "</b>",
                    omit: String = "…", emptyWithoutMatch: Bool = false, backgroundModel: Bool = true,
                    exhaustive: Bool = true) {
            self.length = length; self.highlightStart = highlightStart; self.highlightEnd = highlightEnd
            self.omit = omit; self.emptyWithoutMatch = emptyWithoutMatch; self.backgroundModel = backgroundModel
            self.exhaustive = exhaustive
        }
    }

    /// The best passage of `text` for this MSet's query, matched terms and phrases highlighted.
    public func snippet(_ text: String, stemmer: Stem?, options: SnippetOptions = .init()) throws(XapianError)
        -> String
    {
        var flags: UInt32 = 0
        if options.exhaustive { flags |= UInt32(QX_SNIPPET_EXHAUSTIVE) }
        if options.backgroundModel { flags |= UInt32(QX_SNIPPET_BACKGROUND_MODEL) }
        if options.emptyWithoutMatch { flags |= UInt32(QX_SNIPPET_EMPTY_WITHOUT_MATCH) }
        return try stringResult { out, err in
            withBytes(text) { t, tn in
                withBytes(options.highlightStart) { hs, hsn in
                    withBytes(options.highlightEnd) { he, hen in
                        withBytes(options.omit) { om, omn in
                            qx_mset_snippet(handle, t, tn, options.length, stemmer?.handle, flags, hs, hsn, he, hen,
                                            om, omn, out, err)
                        }
                    }
                }
            }
        }
    }
}
