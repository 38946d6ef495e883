/// What one indexing run did; `--json` prints it as is.
public struct IndexSummary: Sendable, Codable, Equatable {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var deleted = 0
    /// Skipped files and lines, by reason (SkipReason raw values).
    public var skipped: [String: Int] = [:]
    public var filesScanned = 0
    public var bytesRead = 0
    public var seconds = 0.0
    public var documentsPerSecond = 0.0
    public var indexBytes = 0
    public var documentsInIndex = 0
    /// True when a stop signal ended the run early (everything done so far was committed).
    public var interrupted = false
    /// The shards a parallel build of a new index wrote (0: the run wrote the index directly), and the seconds
    /// spent merging them into the index (included in `seconds`).
    public var shards = 0
    public var mergeSeconds = 0.0
    /// Documents kept from a parallel build killed part-way, merged as of its last checkpoint before this run
    /// went on (`KilledBuild`); counted in none of the other figures.
    public var salvaged = 0

    public init() {}

    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    mutating func skip(_ reason: SkipReason) { skipped[reason.rawValue, default: 0] += 1 }
}

/// Where an indexing run stands, for progress bars and log lines.
public struct IndexProgress: Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var bytesDone: Int
    public var bytesTotal: Int
    public var documents: Int
    public var elapsed: Double
    /// The file being read, when the report comes from within one (a large JSON Lines file), with the bytes
    /// of it read so far (counted in `bytesDone` too), its size when scanned, and the documents it gave so far.
    public var file: String?
    public var fileBytesDone = 0
    public var fileBytesTotal = 0
    public var fileDocuments = 0
    public var phase = Phase.reading

    public enum Phase: Sendable, Equatable {
        /// Reading articles and indexing them.
        case reading
        /// A parallel build merging its shards into the index (after every article was read).
        case merging(shards: Int)
    }

    public init(filesDone: Int, filesTotal: Int, bytesDone: Int, bytesTotal: Int, documents: Int, elapsed: Double,
                file: String? = nil, fileBytesDone: Int = 0, fileBytesTotal: Int = 0, fileDocuments: Int = 0,
                phase: Phase = .reading) {
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.documents = documents
        self.elapsed = elapsed
        self.file = file
        self.fileBytesDone = fileBytesDone
        self.fileBytesTotal = fileBytesTotal
        self.fileDocuments = fileDocuments
        self.phase = phase
    }

    public var documentsPerSecond: Double { elapsed > 0 ? Double(documents) / elapsed : 0 }
    public var fraction: Double { bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : 0 }
    /// Seconds left, from the share of bytes read so far.
    public var eta: Double? {
        guard fraction > 0.01, elapsed > 0 else { return nil }
        return elapsed / fraction - elapsed
    }
}
