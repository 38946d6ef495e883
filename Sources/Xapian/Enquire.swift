import CXapian

/// A term suggested by relevance feedback (Xapian's ESet).
public struct ExpandTerm: Sendable, Hashable {
    public var term: String
    public var weight: Double
}

/// Runs queries against a database (Xapian::Enquire).
public final class Enquire {
    let handle: OpaquePointer
    private let database: Database
    private var spies: [ValueCountMatchSpy] = []

    public init(database: Database) throws(XapianError) {
        var out: OpaquePointer?
        try shimCall { qx_enquire_new(database.handle, &out, $0) }
        self.handle = out!
        self.database = database
    }

    deinit { qx_enquire_free(handle) }

    public func setQuery(_ query: Query, queryLength: Int = 0) throws(XapianError) {
        try shimCall { qx_enquire_set_query(handle, query.handle, UInt32(queryLength), $0) }
    }

    /// BM25 parameters; Xapian's defaults are k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5. A `plusDelta` above 0
    /// selects BM25+ (Xapian::BM25PlusWeight, whose own default delta is 1): every matching term adds at least
    /// delta, however long the document.
    public struct BM25: Sendable, Equatable {
        public var k1 = 1.0, k2 = 0.0, k3 = 1.0, b = 0.5, minNormalisedLength = 0.5, plusDelta = 0.0
        public init(k1: Double = 1.0, k2: Double = 0.0, k3: Double = 1.0, b: Double = 0.5,
                    minNormalisedLength: Double = 0.5, plusDelta: Double = 0) {
            self.k1 = k1; self.k2 = k2; self.k3 = k3; self.b = b; self.minNormalisedLength = minNormalisedLength
            self.plusDelta = plusDelta
        }
    }

    public func setWeighting(_ bm25: BM25) throws(XapianError) {
        if bm25.plusDelta > 0 {
            try shimCall {
                qx_enquire_set_bm25plus(handle, bm25.k1, bm25.k2, bm25.k3, bm25.b, bm25.minNormalisedLength,
                                        bm25.plusDelta, $0)
            }
        } else {
            try shimCall { qx_enquire_set_bm25(handle, bm25.k1, bm25.k2, bm25.k3, bm25.b, bm25.minNormalisedLength, $0) }
        }
    }

    /// Every match weighs 0: pure boolean filtering, the cheapest match.
    public func setBooleanWeighting() throws(XapianError) {
        try shimCall { qx_enquire_set_bool_weight(handle, $0) }
    }

    public func sortByRelevance() throws(XapianError) {
        try shimCall { qx_enquire_sort_by_relevance(handle, $0) }
    }

    public func sortByValue(slot: ValueSlot, descending: Bool, thenRelevance: Bool = true) throws(XapianError) {
        try shimCall { qx_enquire_sort_by_value(handle, slot, descending ? 1 : 0, thenRelevance ? 1 : 0, $0) }
    }

    /// Keeps at most `max` matches per distinct value of `slot`; 0 for slot... turns collapsing off.
    public func setCollapseKey(slot: ValueSlot?, max: Int = 1) throws(XapianError) {
        try shimCall { qx_enquire_set_collapse_key(handle, slot ?? 0xFFFF_FFFF, UInt32(max), $0) }
    }

    public func setCutoff(percent: Int, weight: Double = 0) throws(XapianError) {
        try shimCall { qx_enquire_set_cutoff(handle, Int32(percent), weight, $0) }
    }

    /// Stops matching after `seconds` (results are then the best found so far); 0 turns it off.
    public func setTimeLimit(seconds: Double) throws(XapianError) {
        try shimCall { qx_enquire_set_time_limit(handle, seconds, $0) }
    }

    public func addMatchSpy(_ spy: ValueCountMatchSpy) throws(XapianError) {
        try shimCall { qx_enquire_add_matchspy(handle, spy.handle, $0) }
        spies.append(spy)
    }

    public func clearMatchSpies() throws(XapianError) {
        try shimCall { qx_enquire_clear_matchspies(handle, $0) }
        spies.removeAll()
    }

    /// The matches ranked `first ..< first + maxItems`; `checkAtLeast` makes counts exact up to that many.
    public func mset(first: Int = 0, maxItems: Int, checkAtLeast: Int = 0) throws(XapianError) -> MSet {
        var out: OpaquePointer?
        try shimCall { qx_enquire_mset(handle, UInt32(first), UInt32(maxItems), UInt32(checkAtLeast), &out, $0) }
        return MSet(handle: out!)
    }

    /// The best terms to find more documents like `relevant` (Xapian's RSet → ESet).
    public func expandTerms(relevant: [DocumentID], maxItems: Int) throws(XapianError) -> [ExpandTerm] {
        try listResult({ out, err in
            relevant.withUnsafeBufferPointer {
                qx_enquire_eset(handle, $0.baseAddress, $0.count, UInt32(maxItems), out, err)
            }
        }) { bytes, _, weight in ExpandTerm(term: String(utf8Bytes: bytes), weight: weight) }
    }

    /// The terms of the current query that index `docid`.
    public func matchingTerms(_ docid: DocumentID) throws(XapianError) -> [String] {
        try listResult({ qx_enquire_matching_terms(handle, docid, $0, $1) }) { bytes, _, _ in
            String(utf8Bytes: bytes)
        }
    }
}

/// Counts the values of one slot over every match (Xapian::ValueCountMatchSpy): facets.
public final class ValueCountMatchSpy {
    let handle: OpaquePointer

    public init(slot: ValueSlot) throws(XapianError) {
        var out: OpaquePointer?
        try shimCall { qx_matchspy_new_value_count(slot, &out, $0) }
        self.handle = out!
    }

    deinit { qx_matchspy_free(handle) }

    /// The most frequent values, most frequent first.
    public func topValues(_ max: Int) throws(XapianError) -> [TermCount] {
        try listResult({ qx_matchspy_top_values(handle, UInt32(max), $0, $1) }) { bytes, number, _ in
            TermCount(term: String(utf8Bytes: bytes), count: Int(number))
        }
    }

    /// How many documents the spy saw.
    public func total() throws(XapianError) -> Int {
        var out: UInt32 = 0
        try shimCall { qx_matchspy_total(handle, &out, $0) }
        return Int(out)
    }
}
