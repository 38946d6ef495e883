import CXapian

/// A database open for writing. Xapian allows one writer per database: a second one gets `.databaseLock`.
public final class WritableDatabase: Database {
    public enum OpenMode: Int32, Sendable {
        case createOrOpen = 0x00
        case createOrOverwrite = 0x01
        case create = 0x02
        case open = 0x03
    }

    public struct Options: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// Don't fsync on commit: fast, but a crash may lose the last commits.
        public static let noSync = Options(rawValue: 0x04)
        public static let fullSync = Options(rawValue: 0x08)
        public static let dangerous = Options(rawValue: 0x10)
        /// No termlists: smaller and faster, but documents can't be replaced or deleted later.
        public static let noTermList = Options(rawValue: 0x20)
        /// Wait for the write lock instead of failing.
        public static let retryLock = Options(rawValue: 0x40)
    }

    public init(path: String, mode: OpenMode = .createOrOpen, options: Options = []) throws(XapianError) {
        var out: OpaquePointer?
        let flags = mode.rawValue | options.rawValue
        try shimCall { err in withBytes(path) { qx_database_open_writable($0, $1, flags, &out, err) } }
        super.init(handle: out!)
    }

    @discardableResult
    public func addDocument(_ document: Document) throws(XapianError) -> DocumentID {
        var out: UInt32 = 0
        try shimCall { qx_database_add_document(handle, document.handle, &out, $0) }
        return out
    }

    /// Replaces the document indexed by `uniqueTerm` (or adds it when there is none); returns its docid.
    @discardableResult
    public func replaceDocument(uniqueTerm: String, with document: Document) throws(XapianError) -> DocumentID {
        var out: UInt32 = 0
        try shimCall { err in
            withBytes(uniqueTerm) { qx_database_replace_document_by_term(handle, $0, $1, document.handle, &out, err) }
        }
        return out
    }

    public func replaceDocument(_ docid: DocumentID, with document: Document) throws(XapianError) {
        try shimCall { qx_database_replace_document(handle, docid, document.handle, $0) }
    }

    public func deleteDocument(_ docid: DocumentID) throws(XapianError) {
        try shimCall { qx_database_delete_document(handle, docid, $0) }
    }

    /// Deletes every document indexed by `term`.
    public func deleteDocuments(withTerm term: String) throws(XapianError) {
        try shimCall { err in withBytes(term) { qx_database_delete_document_by_term(handle, $0, $1, err) } }
    }

    /// Makes every change so far durable and visible to readers.
    public func commit() throws(XapianError) {
        try shimCall { qx_database_commit(handle, $0) }
    }

    public func beginTransaction(flushed: Bool = true) throws(XapianError) {
        try shimCall { qx_database_begin_transaction(handle, flushed ? 1 : 0, $0) }
    }

    public func commitTransaction() throws(XapianError) {
        try shimCall { qx_database_commit_transaction(handle, $0) }
    }

    public func cancelTransaction() throws(XapianError) {
        try shimCall { qx_database_cancel_transaction(handle, $0) }
    }

    public func setMetadata(_ key: String, _ value: String) throws(XapianError) {
        try shimCall { err in
            withBytes(key) { k, kn in withBytes(value) { qx_database_set_metadata(handle, k, kn, $0, $1, err) } }
        }
    }

    public func addSpelling(_ word: String, frequencyIncrement: Int = 1) throws(XapianError) {
        try shimCall { err in
            withBytes(word) { qx_database_add_spelling(handle, $0, $1, UInt32(frequencyIncrement), err) }
        }
    }
}
