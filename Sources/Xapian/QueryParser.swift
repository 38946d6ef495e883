import CXapian

/// Parses human query syntax into a Query (Xapian::QueryParser).
public final class QueryParser {
    let handle: OpaquePointer
    // Xapian keeps plain pointers or handles to these: keep them alive with the parser.
    private var stopper: Stopper?
    private var database: Database?

    /// Xapian::QueryParser::feature_flag.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let boolean = Flags(rawValue: 1)
        public static let phrase = Flags(rawValue: 2)
        public static let loveHate = Flags(rawValue: 4)
        public static let booleanAnyCase = Flags(rawValue: 8)
        public static let wildcard = Flags(rawValue: 16)
        public static let pureNot = Flags(rawValue: 32)
        public static let partial = Flags(rawValue: 64)
        public static let spellingCorrection = Flags(rawValue: 128)
        public static let synonym = Flags(rawValue: 256)
        public static let `default`: Flags = [.boolean, .phrase, .loveHate]
    }

    public init() {
        guard let handle = qx_queryparser_new() else { fatalError("out of memory allocating a query parser") }
        self.handle = handle
    }

    deinit { qx_queryparser_free(handle) }

    public func setStemmer(_ stem: Stem) throws(XapianError) {
        try shimCall { qx_queryparser_set_stemmer(handle, stem.handle, $0) }
    }

    public func setStemmingStrategy(_ strategy: StemmingStrategy) throws(XapianError) {
        try shimCall { qx_queryparser_set_stemming_strategy(handle, strategy.rawValue, $0) }
    }

    public func setStopper(_ stopper: Stopper?) throws(XapianError) {
        try shimCall { qx_queryparser_set_stopper(handle, stopper?.handle, $0) }
        self.stopper = stopper
    }

    /// The database used for wildcards and spelling correction.
    public func setDatabase(_ database: Database) throws(XapianError) {
        try shimCall { qx_queryparser_set_database(handle, database.handle, $0) }
        self.database = database
    }

    public func setDefaultOperator(_ op: Query.Operator) throws(XapianError) {
        try shimCall { qx_queryparser_set_default_op(handle, op.rawValue, $0) }
    }

    /// Bounds wildcard expansion; with `keepMostFrequent` the most frequent terms are kept, else it's an error.
    public func setMaxExpansion(_ limit: Int, keepMostFrequent: Bool = true) throws(XapianError) {
        try shimCall { qx_queryparser_set_max_expansion(handle, UInt32(limit), keepMostFrequent ? 2 : 0, $0) }
    }

    /// `field:words` searches terms indexed with `prefix`.
    public func addPrefix(field: String, prefix: String) throws(XapianError) {
        try shimCall { err in
            withBytes(field) { f, fn in withBytes(prefix) { qx_queryparser_add_prefix(handle, f, fn, $0, $1, err) } }
        }
    }

    /// `field:value` filters on the boolean term `prefix + value`.
    public func addBooleanPrefix(field: String, prefix: String) throws(XapianError) {
        try shimCall { err in
            withBytes(field) { f, fn in
                withBytes(prefix) { qx_queryparser_add_boolean_prefix(handle, f, fn, $0, $1, err) }
            }
        }
    }

    /// `prefix` + `YYYYMMDD..YYYYMMDD` (or ISO dates) filters on a YYYYMMDD string value slot.
    public func addDateRange(slot: ValueSlot, prefix: String) throws(XapianError) {
        try shimCall { err in withBytes(prefix) { qx_queryparser_add_date_range(handle, slot, $0, $1, err) } }
    }

    /// Parses `text`; a malformed query throws `.queryParser` with Xapian's message.
    public func parse(_ text: String, flags: Flags = .default, defaultPrefix: String = "") throws(XapianError) -> Query {
        var out: OpaquePointer?
        try shimCall { err in
            withBytes(text) { t, tn in
                withBytes(defaultPrefix) { qx_queryparser_parse(handle, t, tn, flags.rawValue, $0, $1, &out, err) }
            }
        }
        return Query(handle: out!)
    }

    /// After parsing with `.spellingCorrection`: the query with corrections applied, or nil if none.
    public func correctedQuery() throws(XapianError) -> String? {
        let corrected = try stringResult { qx_queryparser_corrected_query(handle, $0, $1) }
        return corrected.isEmpty ? nil : corrected
    }
}
