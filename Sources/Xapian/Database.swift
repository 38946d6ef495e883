import CXapian

/// A term with a count: a document's wdf, or a database's term frequency, depending on the list.
public struct TermCount: Sendable, Hashable {
    public var term: String
    public var count: Int

    public init(term: String, count: Int) {
        self.term = term
        self.count = count
    }
}

/// One value of a slot, as `valueStream(slot:)` yields it.
public struct SlotValue: Sendable, Hashable {
    public var docid: DocumentID
    public var value: [UInt8]
}

/// One value of a document, as `Document.values()` yields it.
public struct DocumentValue: Sendable, Hashable {
    public var slot: ValueSlot
    public var value: [UInt8]
}

public typealias DocumentID = UInt32
public typealias ValueSlot = UInt32

/// A read-only Xapian database. Not thread-safe: one per thread, as Xapian requires.
public class Database {
    let handle: OpaquePointer

    /// Opens the database at `path` for reading.
    public convenience init(path: String) throws(XapianError) {
        self.init(handle: try Self.open(.local(path: path), RemoteTimeouts()))
    }

    /// Opens several databases as one (Xapian's `add_database`): searched together with merged statistics, and
    /// compacted into one database, each shard's documents after the previous shard's.
    public convenience init(shards paths: [String]) throws(XapianError) {
        try self.init(shards: paths.map { DatabaseLocation.local(path: $0) })
    }

    /// Opens local and remote databases as one; remote ones give up after `remoteTimeouts`.
    public convenience init(shards locations: [DatabaseLocation],
                            remoteTimeouts: RemoteTimeouts = RemoteTimeouts()) throws(XapianError) {
        guard let first = locations.first else {
            throw XapianError(kind: .databaseOpening, message: "no databases listed")
        }
        self.init(handle: try Self.open(first, remoteTimeouts))
        for location in locations.dropFirst() {
            let shard = Database(handle: try Self.open(location, remoteTimeouts))
            try shimCall { qx_database_add_database(handle, shard.handle, $0) }
        }
    }

    private static func open(_ location: DatabaseLocation,
                             _ timeouts: RemoteTimeouts) throws(XapianError) -> OpaquePointer {
        var out: OpaquePointer?
        switch location {
        case .local(let path):
            try shimCall { err in withBytes(path) { qx_database_open($0, $1, &out, err) } }
        case .tcp(let host, let port):
            try shimCall { err in
                withBytes(host) {
                    qx_database_open_remote_tcp($0, $1, UInt32(port), timeouts.operationMilliseconds,
                                                timeouts.connectMilliseconds, &out, err)
                }
            }
        case .program(let program, let arguments):
            try shimCall { err in
                withBytes(program) { programBytes, programCount in
                    withBytes(arguments) {
                        qx_database_open_remote_program(programBytes, programCount, $0, $1,
                                                        timeouts.operationMilliseconds, &out, err)
                    }
                }
            }
        }
        return out!
    }

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { qx_database_free(handle) }

    /// Moves to the newest committed revision. Returns true when it changed.
    @discardableResult
    public func reopen() throws(XapianError) -> Bool {
        var changed: Int32 = 0
        try shimCall { qx_database_reopen(handle, &changed, $0) }
        return changed != 0
    }

    /// Closes the database now (also releasing the write lock of a writable one).
    public func close() throws(XapianError) {
        try shimCall { qx_database_close(handle, $0) }
    }

    public func documentCount() throws(XapianError) -> Int {
        var out: UInt32 = 0
        try shimCall { qx_database_doccount(handle, &out, $0) }
        return Int(out)
    }

    public func lastDocumentID() throws(XapianError) -> DocumentID {
        var out: UInt32 = 0
        try shimCall { qx_database_lastdocid(handle, &out, $0) }
        return out
    }

    public func averageLength() throws(XapianError) -> Double {
        var out = 0.0
        try shimCall { qx_database_avlength(handle, &out, $0) }
        return out
    }

    public func totalLength() throws(XapianError) -> UInt64 {
        var out: UInt64 = 0
        try shimCall { qx_database_total_length(handle, &out, $0) }
        return out
    }

    public func revision() throws(XapianError) -> UInt64 {
        var out: UInt64 = 0
        try shimCall { qx_database_revision(handle, &out, $0) }
        return out
    }

    public func uuid() throws(XapianError) -> String {
        try stringResult { qx_database_uuid(handle, $0, $1) }
    }

    public func hasPositions() throws(XapianError) -> Bool {
        var out: Int32 = 0
        try shimCall { qx_database_has_positions(handle, &out, $0) }
        return out != 0
    }

    public func termFrequency(_ term: String) throws(XapianError) -> Int {
        var out: UInt32 = 0
        try shimCall { err in withBytes(term) { qx_database_termfreq(handle, $0, $1, &out, err) } }
        return Int(out)
    }

    /// How often the spelling data has seen `word` (0: never).
    public func spellingFrequency(_ word: String) throws(XapianError) -> Int {
        var out: UInt32 = 0
        try shimCall { err in withBytes(word) { qx_database_spelling_freq(handle, $0, $1, &out, err) } }
        return Int(out)
    }

    /// How many documents have a value in `slot`.
    public func valueFrequency(slot: ValueSlot) throws(XapianError) -> Int {
        var out: UInt32 = 0
        try shimCall { qx_database_value_freq(handle, slot, &out, $0) }
        return Int(out)
    }

    public func collectionFrequency(_ term: String) throws(XapianError) -> Int {
        var out: UInt64 = 0
        try shimCall { err in withBytes(term) { qx_database_collection_freq(handle, $0, $1, &out, err) } }
        return Int(out)
    }

    public func documentLength(_ docid: DocumentID) throws(XapianError) -> Int {
        var out: UInt32 = 0
        try shimCall { qx_database_doclength(handle, docid, &out, $0) }
        return Int(out)
    }

    /// User metadata stored under `key`, or "" when there is none.
    public func metadata(_ key: String) throws(XapianError) -> String {
        try stringResult { out, err in withBytes(key) { qx_database_metadata(handle, $0, $1, out, err) } }
    }

    /// The document with this id; throws `.docNotFound` when there is none.
    public func document(_ docid: DocumentID) throws(XapianError) -> Document {
        var out: OpaquePointer?
        try shimCall { qx_database_document(handle, docid, &out, $0) }
        return Document(handle: out!)
    }

    /// The first document indexed by `term` (e.g. a unique-id term), or nil.
    public func firstDocument(withTerm term: String) throws(XapianError) -> DocumentID? {
        var out: UInt32 = 0
        try shimCall { err in withBytes(term) { qx_database_first_posting(handle, $0, $1, &out, err) } }
        return out == 0 ? nil : out
    }

    /// Every document indexed by `term`.
    public func postings(_ term: String) throws(XapianError) -> [DocumentID] {
        try listResult({ out, err in withBytes(term) { qx_database_postlist(handle, $0, $1, out, err) } }) {
            _, number, _ in DocumentID(number)
        }
    }

    /// Every term starting with `prefix`, with its term frequency.
    public func allTerms(prefix: String = "") throws(XapianError) -> [TermCount] {
        try listResult({ out, err in withBytes(prefix) { qx_database_allterms(handle, $0, $1, out, err) } }) {
            bytes, number, _ in TermCount(term: String(utf8Bytes: bytes), count: Int(number))
        }
    }

    /// Every value stored in `slot`, in docid order.
    public func valueStream(slot: ValueSlot) throws(XapianError) -> [SlotValue] {
        try listResult({ qx_database_valuestream(handle, slot, $0, $1) }) { bytes, number, _ in
            SlotValue(docid: DocumentID(number), value: Array(bytes))
        }
    }

    /// The terms of a stored document, with their wdf.
    public func termList(_ docid: DocumentID) throws(XapianError) -> [TermCount] {
        try listResult({ qx_database_termlist(handle, docid, $0, $1) }) { bytes, number, _ in
            TermCount(term: String(utf8Bytes: bytes), count: Int(number))
        }
    }

    /// The positions at which `term` occurs in a document, ascending (empty when it has none stored).
    public func positions(of term: String, in docid: DocumentID) throws(XapianError) -> [Int] {
        try listResult({ out, err in withBytes(term) { qx_database_positionlist(handle, docid, $0, $1, out, err) } }) {
            _, number, _ in Int(number)
        }
    }

    /// The positions of every term of a document that has them, in one call (`positions(of:in:)` for each term
    /// would cost a call per term).
    public func termPositions(_ docid: DocumentID) throws(XapianError) -> [String: [Int]] {
        let pairs = try listResult({ qx_database_document_positions(handle, docid, $0, $1) }) { bytes, number, _ in
            (term: String(utf8Bytes: bytes), position: Int(number))
        }
        return Dictionary(grouping: pairs, by: \.term).mapValues { $0.map(\.position) }
    }

    /// Every user metadata key starting with `prefix`, in sorted order.
    public func metadataKeys(prefix: String = "") throws(XapianError) -> [String] {
        try listResult({ out, err in withBytes(prefix) { qx_database_metadata_keys(handle, $0, $1, out, err) } }) {
            bytes, _, _ in String(utf8Bytes: bytes)
        }
    }

    /// Every word of the spelling data, with its frequency.
    public func spellings() throws(XapianError) -> [TermCount] {
        try listResult({ qx_database_spellings(handle, $0, $1) }) { bytes, number, _ in
            TermCount(term: String(utf8Bytes: bytes), count: Int(number))
        }
    }

    /// The most likely correction of `word` from the spelling data, or nil.
    public func spellingSuggestion(for word: String, maxEditDistance: Int = 2) throws(XapianError) -> String? {
        let suggestion = try stringResult { out, err in
            withBytes(word) { qx_database_spelling_suggestion(handle, $0, $1, UInt32(maxEditDistance), out, err) }
        }
        return suggestion.isEmpty ? nil : suggestion
    }

    /// How `compact(to:options:status:)` compacts (Xapian's `DBCOMPACT_*` flags and compaction level).
    public struct CompactionOptions: Sendable, Equatable {
        public enum Level: UInt32, Sendable {
            /// Don't split items unnecessarily (Xapian's `Database::compact` default).
            case standard = 0
            /// Split items whenever it saves space (xapian-compact's default).
            case full = 1
            /// Also allow oversize items: smaller still, but not for a database that will be updated.
            case fuller = 2
        }

        public var level: Level
        /// Shift the docids so the first one is 1 (Xapian's default). Off: every document keeps its docid.
        public var renumber: Bool
        /// Merge postlists in several passes; Xapian only does so when merging more than 3 databases.
        public var multipass: Bool
        /// Block size of the output (a power of 2 from 2048 to 65536); 0 is Xapian's default (8192).
        public var blockSize: Int

        public init(level: Level = .full, renumber: Bool = true, multipass: Bool = false, blockSize: Int = 0) {
            self.level = level
            self.renumber = renumber
            self.multipass = multipass
            self.blockSize = blockSize
        }

        var flags: UInt32 {
            level.rawValue | (renumber ? 0 : 4) | (multipass ? 8 : 0)
        }
    }

    /// Copies this database into a new, compacted one at `destination` (what xapian-compact does). `status` is
    /// called as each table is compacted (the table's name, then what is being done; "" when it is done):
    /// returning false stops the compaction, which then throws (leaving whatever it had written at `destination`).
    public func compact(
        to destination: String, options: CompactionOptions,
        status: (_ table: String, _ status: String) -> Bool = { _, _ in true }
    ) throws(XapianError) {
        final class Box {
            let status: (String, String) -> Bool
            init(_ status: @escaping (String, String) -> Bool) { self.status = status }
        }
        let callback: qx_compact_status_fn = { context, table, tableLength, status, statusLength in
            let box = Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue()
            func text(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
                guard let pointer, length > 0 else { return "" }
                return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
            }
            return box.status(text(table, tableLength), text(status, statusLength)) ? 0 : 1
        }
        try withoutActuallyEscaping(status) { (status) throws(XapianError) in
            let box = Box(status)
            try withExtendedLifetime(box) { () throws(XapianError) in
                let context = Unmanaged.passUnretained(box).toOpaque()
                try shimCall { err in
                    withBytes(destination) {
                        qx_database_compact_flags(handle, $0, $1, options.flags, Int32(options.blockSize), callback,
                                                  context, err)
                    }
                }
            }
        }
    }

    /// Runs Xapian's consistency check (as `xapian-check` does) on the database at `path`.
    public static func checkConsistency(path: String) throws(XapianError) -> (errors: Int, report: String) {
        var errors = 0
        let report = try stringResult { out, err in
            withBytes(path) { qx_database_check($0, $1, &errors, out, err) }
        }
        return (errors, report)
    }

    /// The version of the Xapian library in use.
    public static var libraryVersion: String { String(cString: qx_version_string()) }

    /// True when this process reads compressed items through the shim's fix for Xapian's decompression
    /// bug (CXapian/src/inflate_drain.c): without it, a sound item whose last chunk decompresses to exactly
    /// fill Xapian's buffer reads as "Too few chunks of compressed data".
    public static var readsCompressedItemsSafely: Bool { qx_inflate_drain_installed() != 0 }

    /// How many reads so far met that case and were completed by the fix.
    public static var compressedReadsCompleted: Int { Int(qx_inflate_drain_count()) }
}
