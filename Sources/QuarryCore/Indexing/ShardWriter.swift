import Foundation
import Xapian

/// One shard of a parallel build: a thread that owns a scratch database and its own `ArticleWriter`, fed
/// articles through a bounded queue (the reader waits while the shard is behind, so memory stays bounded).
/// The database and writer are created on the caller's thread and then used only by the shard's thread.
final class ShardWriter: @unchecked Sendable {
    /// What the shard did, once finished.
    struct Outcome {
        /// Articles that replaced an earlier one with the same id in this shard (the reader counted them as added).
        var replaced = 0
        var lastDocumentID: DocumentID = 0
        var spellingWords: [String: Int] = [:]
    }

    let path: String
    private let database: WritableDatabase
    private let writer: ArticleWriter
    private let batchSize: Int
    private let capacity: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [(Article, ArticleSource)] = []
    private var closed = false
    private var cancelled = false
    private var failure: Error?
    private var done = false
    private var replaced = 0
    private var lastDocumentID: DocumentID = 0
    /// Articles queued so far, articles stored, and the stored count at the last commit; a checkpoint waits
    /// until what was queued before it is committed.
    private var enqueued = 0
    private var stored = 0
    private var committed = 0
    private var checkpointTarget = 0

    /// Creates the shard's database at `path` (written without fsync: it is scratch until merged) and starts
    /// its thread.
    init(path: String, language: String, options: IndexerOptions, capacity: Int = 512) throws {
        self.path = path
        writer = try ArticleWriter(language: language, options: options)
        database = try WritableDatabase(path: path, mode: .create, options: .noSync)
        batchSize = options.batchSize
        self.capacity = capacity
        let thread = Thread { [self] in work() }
        thread.name = "quarry-index shard"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues an article, waiting while the queue is full. Throws what stopped the shard, if it failed.
    func add(_ article: Article, source: ArticleSource) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append((article, source))
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
        let outcome = Outcome(replaced: replaced, lastDocumentID: lastDocumentID,
                              spellingWords: writer.takeSpellingWords())
        condition.unlock()
        if let failure { throw failure }
        return outcome
    }

    /// Stops the shard without storing what is still queued, and waits for its thread. Its database is left as it
    /// is, to be removed with the build.
    func cancel() {
        condition.lock()
        cancelled = true
        closed = true
        queue.removeAll()
        condition.broadcast()
        while !done { condition.wait() }
        condition.unlock()
        try? database.close()
    }

    /// Commits, unless the device is nearly full. Xapian 1.4.22 can abort the process (std::terminate in glass's
    /// commit) when a shard's commit meets a full disk; one writer committing alone has not been seen to, so a
    /// shard stops with a clear error while the room left is below a margin: three times what its last commit
    /// added, and at least `minimumFreeBytes`. (A failed build leaves the index as it was.)
    private func commit() throws {
        let before = IndexFiles.bytes(at: path)
        let margin = max(Self.minimumFreeBytes, 3 * lastCommitBytes)
        if let free = IndexFiles.freeBytes(at: path), free < margin {
            throw ParallelBuild.NoSpace(path: path, free: free, needed: margin)
        }
        try database.commit()
        lastCommitBytes = max(0, IndexFiles.bytes(at: path) - before)
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
        var last: DocumentID = 0
        do {
            while let batch = nextBatch() {
                for (article, source) in batch {
                    if isCancelled { break }
                    if try writer.store(article, source: source, in: database).existed { storedReplacements += 1 }
                    noteStored()
                    sinceCommit += 1
                    if sinceCommit >= batchSize {
                        try commit()
                        sinceCommit = 0
                    }
                }
                if isCheckpointDue {
                    try commit()
                    sinceCommit = 0
                }
            }
            if !isCancelled {
                try commit()
                last = try database.lastDocumentID()
                try database.close()
            }
        } catch {
            condition.lock()
            failure = error
            condition.unlock()
        }
        condition.lock()
        replaced = storedReplacements
        lastDocumentID = last
        done = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
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
    private func nextBatch() -> [(Article, ArticleSource)]? {
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
