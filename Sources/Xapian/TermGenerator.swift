import CXapian

/// Splits text into terms, stems them, and adds them to a document (Xapian::TermGenerator).
public final class TermGenerator {
    let handle: OpaquePointer
    // Xapian holds plain pointers to these: keep them alive as long as the generator.
    private var stopper: Stopper?
    private var database: WritableDatabase?

    public init() {
        guard let handle = qx_termgen_new() else { fatalError("out of memory allocating a term generator") }
        self.handle = handle
    }

    deinit { qx_termgen_free(handle) }

    public func setStemmer(_ stem: Stem) throws(XapianError) {
        try shimCall { qx_termgen_set_stemmer(handle, stem.handle, $0) }
    }

    /// The strategy set last (Xapian's default: `some`).
    public private(set) var stemmingStrategy = StemmingStrategy.some

    public func setStemmingStrategy(_ strategy: StemmingStrategy) throws(XapianError) {
        try shimCall { qx_termgen_set_stemming_strategy(handle, strategy.rawValue, $0) }
        stemmingStrategy = strategy
    }

    public enum StopStrategy: Int32, Sendable { case none = 0, all = 1, stemmed = 2 }

    public func setStopper(_ stopper: Stopper?, strategy: StopStrategy = .stemmed) throws(XapianError) {
        try shimCall { qx_termgen_set_stopper(handle, stopper?.handle, strategy.rawValue, $0) }
        self.stopper = stopper
    }

    /// Turns on spelling data: words indexed from now on are added to `database`'s spelling table.
    public func enableSpelling(into database: WritableDatabase) throws(XapianError) {
        try shimCall { qx_termgen_set_database(handle, database.handle, $0) }
        try shimCall { qx_termgen_set_flags(handle, Int32(QX_TERMGEN_FLAG_SPELLING), $0) }
        self.database = database
    }

    public func setMaxWordLength(_ length: Int) throws(XapianError) {
        try shimCall { qx_termgen_set_max_word_length(handle, UInt32(length), $0) }
    }

    /// The document that following `index` calls add terms to (positions restart at 0).
    public func setDocument(_ document: Document) throws(XapianError) {
        try shimCall { qx_termgen_set_document(handle, document.handle, $0) }
    }

    public func index(_ text: String, wdfIncrement: Int = 1, prefix: String = "", positions: Bool = true)
        throws(XapianError)
    {
        try shimCall { err in
            withBytes(text) { t, tn in
                withBytes(prefix) {
                    qx_termgen_index_text(handle, t, tn, UInt32(wdfIncrement), $0, $1, positions ? 1 : 0, err)
                }
            }
        }
    }

    /// Leaves a gap in positions, so phrases don't match across fields.
    public func increaseTermPosition(by delta: Int = 100) throws(XapianError) {
        try shimCall { qx_termgen_increase_termpos(handle, UInt32(delta), $0) }
    }

    public func termPosition() throws(XapianError) -> Int {
        var out: UInt32 = 0
        try shimCall { qx_termgen_termpos(handle, &out, $0) }
        return Int(out)
    }
}
