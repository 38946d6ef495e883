import Xapian

/// How Quarry lays articles out in a Xapian database. Prefixes follow Omega's conventions where one exists,
/// so `delve`, `quest`, Omega and the Python bindings read a Quarry index as they read their own.
public enum IndexSchema {
    /// Bumped when the layout changes incompatibly; stored in the database's metadata.
    public static let version = "1"

    /// Free-text terms (unprefixed, `S`, `A` and their `Z` stems) that hold a diacritic also have an accent-folded
    /// twin with the same positions and wdf (`café` → `cafe`; see `AccentFolding`).
    public enum Prefix {
        /// Title words (Omega: S = subject/title). Also indexed unprefixed, weighted.
        public static let title = "S"
        /// Author words (Omega: A).
        public static let author = "A"
        /// The unique id (Omega: Q), one per document.
        public static let uniqueID = "Q"
        /// Category, lower-cased, as a boolean filter term (user-defined X prefix: Omega has none for this).
        public static let category = "XC"
        /// Date as YYYYMMDD, month as YYYYMM, year as YYYY (Omega: D, M, Y).
        public static let day = "D"
        public static let month = "M"
        public static let year = "Y"
        /// The article's URL (Omega: U).
        public static let url = "U"
    }

    public enum Slot {
        /// The date as a YYYYMMDD string: Omega's DATEVALUE convention, and `date:` ranges in queries.
        public static let date: ValueSlot = 0
        /// The date as sortable_serialise(days since 1970-01-01): numeric ranges and recency.
        public static let dayNumber: ValueSlot = 1
        /// The category as written (facets).
        public static let category: ValueSlot = 2
        /// YYYYMM (month facets).
        public static let month: ValueSlot = 3
        /// A hash of the normalised title: collapses near-identical stories.
        public static let titleKey: ValueSlot = 4
        /// Absolute path of the file the article came from, and that file's size:mtime when indexed:
        /// how a re-run knows what changed and what vanished. For a JSON Lines file, slot 6 is the file's
        /// size:mtime when its current full read began, and lines appended later get the same: every document
        /// of the file carries one stamp, and one stamped otherwise is left over from an earlier version of the
        /// file (`Metadata.jsonLinesPrefix` holds how far the file was read).
        public static let sourcePath: ValueSlot = 5
        public static let sourceSignature: ValueSlot = 6
        /// The hit summary (id, title, date, category, url) as JSON: what a result list shows, readable
        /// without inflating the document data.
        public static let summary: ValueSlot = 7
    }

    public enum Metadata {
        public static let schemaVersion = "quarry.schema"
        public static let language = "quarry.language"
        public static let stemming = "quarry.stemming"
        public static let titleWeight = "quarry.title_weight"
        /// Set ("1") while an indexing run has committed documents whose words are not yet in the spelling data:
        /// the indexer adds a run's words in its last commit (not the term generator word by word), and an
        /// indexer that finds this set (a run killed part-way) adds the index's words the spelling data lacks.
        public static let spellingPending = "quarry.spelling_pending"
        /// Set in a parallel build's metadata database at each checkpoint (the shards committed everything read
        /// before it), never in an index: a build killed after one is merged as it stood (`KilledBuild`).
        public static let buildCheckpoint = "quarry.build_checkpoint"
        /// One key per JSON Lines file: "quarry.jsonl:" + its absolute path (shortened with a hash past
        /// `maxTermBytes`, as Xapian limits keys). The value is JSON: {"path", "stamp" (its documents' slot 6),
        /// "position": {"offset" (bytes read: the end of the last complete line handled), "lines" (lines
        /// before it), "fingerprint" (a hash of those bytes, PrefixFingerprint)}, "complete" (the size:mtime
        /// read to its end; absent while unfinished), "tail" (the docid of a last line without a newline)}.
        /// Written in the same transaction as the documents it accounts for; deleted with the file's documents.
        public static let jsonLinesPrefix = "quarry.jsonl:"

        public static func jsonLinesKey(for path: String) -> String {
            boundedTerm(jsonLinesPrefix + path)
        }
    }

    /// Positions between title, author and body, so phrases never match across fields.
    public static let fieldGap = 100

    /// Xapian's limit on a term's length is 245 bytes; longer ids are shortened with a hash.
    public static let maxTermBytes = 240

    /// The unique-id term of an article id.
    public static func uniqueTerm(for id: String) -> String {
        boundedTerm(Prefix.uniqueID + id)
    }

    public static func categoryTerm(for category: String) -> String {
        boundedTerm(Prefix.category + category.lowercased())
    }

    static func boundedTerm(_ term: String) -> String {
        guard term.utf8.count > maxTermBytes else { return term }
        // Keep a readable head and make it unique with a hash of the whole (as omindex does for long URLs).
        let hash = StableHash.fnv1a64Hex(term)
        var head = Substring(term)
        while head.utf8.count > maxTermBytes - hash.utf8.count - 1 { head = head.dropLast() }
        return head + "#" + hash
    }

    /// Title normalised for collapsing: case, punctuation and spacing don't make stories distinct.
    public static func titleKey(_ title: String) -> String {
        var normalised = ""
        normalised.reserveCapacity(title.utf8.count)
        var pendingSpace = false
        for scalar in title.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if pendingSpace && !normalised.isEmpty { normalised.append(" ") }
                pendingSpace = false
                normalised.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                pendingSpace = true
            }
        }
        return StableHash.fnv1a64Hex(normalised)
    }
}

/// A hash that is the same in every process and release (Swift's Hasher is seeded per process).
enum StableHash {
    static func fnv1a64(_ string: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    static func fnv1a64Hex(_ string: String) -> String {
        let hex = String(fnv1a64(string), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
