import Foundation
import Xapian

/// How `quarry-index` builds an index. Language, stemming and title weight are stored in the database on
/// creation (`IndexSettings`), so later runs index and the daemon parses queries exactly as the first run did.
public struct IndexerOptions: Sendable {
    public var databasePath: String
    /// Snowball language, stemming strategy and title weight of a new index (nil: `IndexSettings.defaults`). An
    /// existing index keeps its own; asking it for another value is an error.
    public var language: String?
    public var stemming: StemmingStrategy?
    public var titleWeight: Int?
    /// Build spelling data for "did you mean" (costs indexing time).
    public var spelling = true
    /// A database this indexer creates is written without fsync on each commit (Xapian's DB_NO_SYNC), and its
    /// files are synced at the end of each run instead. A commit is still atomic against a kill -9 (the data is
    /// in the page cache); only a power cut or OS crash during the run of a brand-new index, which nothing
    /// serves yet, can leave it to be rebuilt. An existing index is always opened with Xapian's syncs.
    public var noSyncWhileCreating = true
    /// Documents changed between commits (in a parallel build: between each shard's commits).
    public var batchSize = 1000
    /// Writers building a new index in parallel (`ParallelBuild`): one shard each, merged at the end. 1 writes
    /// the index directly, committing as it goes. An existing index is always updated by one writer.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// An existing index takes a batch on `jobs` writers too, merged with it at the end, when the batch is at least
    /// this share of the article text the index holds (bytes to read against `IndexedText`); a smaller batch goes
    /// straight into the index with one writer, as the merge rewrites the whole index. Measured on 300k articles
    /// (docs/performance.md), the two take the same time at about 4%, and the merged index is smaller: 5%.
    /// 0: always; .infinity: never.
    public var parallelUpdateShare = 0.05
    /// A parallel build's writer starts a new database once its current one holds this many articles (see
    /// `ShardWriter`): commits into a small database write less, and the merge at the end takes them all.
    public var shardGenerationSize = 200_000
    /// Plain-text articles larger than this are skipped with a warning; so are JSON Lines lines longer than this
    /// (the files themselves are streamed, whatever their size).
    public var maxFileBytes = 20 * 1024 * 1024
    /// Delete the documents of files that vanished from the scanned folders (like omindex; off = keep).
    public var deleteMissing = true
    /// How often `Indexer.run` reports progress (also from within a large file).
    public var progressInterval: Duration = .milliseconds(250)

    public init(databasePath: String) { self.databasePath = databasePath }
}
