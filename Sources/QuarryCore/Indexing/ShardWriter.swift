import Foundation
import Xapian

/// One shard of a parallel build: a thread that owns scratch databases and its own `ArticleWriter`, fed
/// articles through a bounded queue (the reader waits while the shard is behind, so memory stays bounded).
///
/// A shard is a series of databases, its generations: once the current one holds `generationSize` articles,
/// the next commit starts a new one. Each commit rewrites the blocks of every posting list it touches, more of
/// them the larger the database: small generations write less (41% at 400,000 articles; the time is the same),
/// and the build's merge (multipass compaction) takes any number of them. An article whose id an earlier generation already holds
/// replaces it there, as in one database. The databases and writer are created on the caller's thread and then
/// used only by the shard's thread.
final class ShardWriter: @unchecked Sendable {
    /// What the shard did, once finished.
    struct Outcome {
        /// Articles that replaced an earlier one with the same id in this shard, which the reader counted as added
        /// (not those whose id is in the index an update merges with: counted as updated already).
        var replaced = 0
        /// The shard's databases, oldest first, with their last docids.
        var generations: [(path: String, lastDocumentID: DocumentID)] = []
        var spellingWords: [String: Int] = [:]
    }

    /// Where the shard's generation `n` lives.
    private let path: (_ generation: Int) -> String
    /// The current generation, and the earlier ones (kept open for the replacements that reach them).
    private var database: WritableDatabase
    private var earlier: [WritableDatabase] = []
    /// Earlier generations changed since the last commit.
    private var earlierChanged: Set<Int> = []
    private var storedInGeneration = 0
    private let generationSize: Int
    private let writer: ArticleWriter
    private let batchSize: Int
    private let capacity: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var closed = false
    private var cancelled = false
    private var failure: Error?
    private var done = false
    private var replaced = 0
    private var generations: [(path: String, lastDocumentID: DocumentID)] = []
    /// Articles queued so far, articles stored, and the stored count at the last commit; a checkpoint waits
    /// until what was queued before it is committed.
    private var enqueued = 0
    private var stored = 0
    private var committed = 0
    private var checkpointTarget = 0

    /// Creates the shard's first database at `path(0)` (written without fsync: it is scratch until merged) and
    /// starts its thread.
    init(path: @escaping (_ generation: Int) -> String, settings: IndexSettings, options: IndexerOptions,
         capacity: Int = 512) throws {
        self.path = path
        writer = try ArticleWriter(settings: settings, options: options)
        database = try WritableDatabase(path: path(0), mode: .create, options: .noSync)
        generationSize = max(1, options.shardGenerationSize)
        batchSize = options.batchSize
        self.capacity = capacity
        let thread = Thread { [self] in work() }
        thread.name = "quarry-index shard"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// An article to store; `replacingIndexArticle`: its id is in the index a parallel update merges with (the
    /// reader counted it as updated, so replacing an earlier copy here is not counted again).
    private typealias Job = (article: Article, source: ArticleSource, replacingIndexArticle: Bool)

    /// Queues an article, waiting while the queue is full. Throws what stopped the shard, if it failed.
    func add(_ article: Article, source: ArticleSource, replacingIndexArticle: Bool = false) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append((article, source, replacingIndexArticle))
        enqueued += 1
        condition.broadcast()
    }

    /// Waits until every article queued so far is stored and committed (a parallel build's checkpoint). Throws
    /// what stopped the shard, if it failed.
    func checkpoint() throws {
        condition.lock()
        defer { condition.unlock() }
        checkpointTarget = enqueued
        condition.broadcast()
        while committed < checkpointTarget && failure == nil && !done { condition.wait() }
        if let failure { throw failure }
    }

    /// Lets the shard store what is queued, commit and close; returns what it did, or throws what failed.
    func finish() throws -> Outcome {
        condition.lock()
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        let failure = failure
        let outcome = Outcome(replaced: replaced, generations: generations,
                              spellingWords: writer.takeSpellingWords())
        condition.unlock()
        if let failure { throw failure }
        return outcome
    }

    /// Stops the shard without storing what is still queued, and waits for its thread. Its databases are left as
    /// they are, to be removed with the build.
    func cancel() {
        condition.lock()
        cancelled = true
        closed = true
        queue.removeAll()
        condition.broadcast()
        while !done { condition.wait() }
        condition.unlock()
        for database in earlier + [database] { try? database.close() }
    }

    /// Commits, unless the device is nearly full. Xapian 1.4.22 can abort the process (std::terminate in glass's
    /// commit) when a shard's commit meets a full disk; one writer committing alone has not been seen to, so a
    /// shard stops with a clear error while the room left is below a margin: three times what its last commit
    /// added, and at least `minimumFreeBytes`. (A failed build leaves the index as it was.)
    private func commit() throws {
        let current = path(earlier.count)
        let before = IndexFiles.bytes(at: current)
        let margin = max(Self.minimumFreeBytes, 3 * lastCommitBytes)
        if let free = IndexFiles.freeBytes(at: current), free < margin {
            throw ParallelBuild.NoSpace(path: current, free: free, needed: margin)
        }
        for generation in earlierChanged.sorted() { try earlier[generation].commit() }
        earlierChanged = []
        try database.commit()
        lastCommitBytes = max(0, IndexFiles.bytes(at: current) - before)
        condition.lock()
        committed = stored
        condition.broadcast()
        condition.unlock()
    }

    static let minimumFreeBytes = 32 << 20
    private var lastCommitBytes = 0

    private func work() {
        var sinceCommit = 0
        var storedReplacements = 0
        var finished: [(path: String, lastDocumentID: DocumentID)] = []
        do {
            while let batch = nextBatch() {
                for job in batch {
                    if isCancelled { break }
                    if try store(job.article, source: job.source), !job.replacingIndexArticle { storedReplacements += 1 }
                    noteStored()
                    sinceCommit += 1
                    if sinceCommit >= batchSize {
                        try commit()
                        sinceCommit = 0
                        if storedInGeneration >= generationSize { try startGeneration() }
                    }
                }
                if isCheckpointDue {
                    try commit()
                    sinceCommit = 0
                }
            }
            if !isCancelled {
                try commit()
                for (generation, database) in (earlier + [database]).enumerated() {
                    finished.append((path(generation), try database.lastDocumentID()))
                    try database.close()
                }
            }
        } catch {
            condition.lock()
            failure = error
            condition.unlock()
        }
        condition.lock()
        replaced = storedReplacements
        generations = finished
        done = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Stores the article where its id is (an earlier generation) or in the current generation. Returns whether
    /// it replaced an article.
    private func store(_ article: Article, source: ArticleSource) throws -> Bool {
        let term = IndexSchema.uniqueTerm(for: article.id)
        for (generation, database) in earlier.enumerated() where try database.firstDocument(withTerm: term) != nil {
            _ = try writer.store(article, source: source, in: database)
            earlierChanged.insert(generation)
            return true
        }
        let existed = try writer.store(article, source: source, in: database).existed
        if !existed { storedInGeneration += 1 }
        return existed
    }

    /// Keeps the current (committed, full) generation open for replacements and starts the next.
    private func startGeneration() throws {
        earlier.append(database)
        database = try WritableDatabase(path: path(earlier.count), mode: .create, options: .noSync)
        storedInGeneration = 0
    }

    private func noteStored() {
        condition.lock()
        stored += 1
        condition.unlock()
    }

    /// A checkpoint waits for articles this shard has all stored but not committed (the caller holds the lock).
    private var checkpointPending: Bool { committed < checkpointTarget && stored >= checkpointTarget }

    private var isCheckpointDue: Bool {
        condition.lock()
        defer { condition.unlock() }
        return checkpointPending
    }

    /// Everything queued, waiting for some (or for a checkpoint: then possibly nothing); nil once the queue is
    /// closed and empty (or the shard is cancelled).
    private func nextBatch() -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closed && !checkpointPending { condition.wait() }
        if cancelled || (queue.isEmpty && closed) { return nil }
        let batch = queue
        queue.removeAll(keepingCapacity: true)
        condition.broadcast()
        return batch
    }

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
