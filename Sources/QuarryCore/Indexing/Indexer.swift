import Foundation
import Logging
import Xapian

/// The one writer: scans article folders and files, and adds, replaces and deletes documents so the index
/// matches them. Unchanged files (same size and mtime) are skipped; a changed file replaces its documents;
/// a vanished file's documents are deleted unless `deleteMissing` is off. Commits every `batchSize` changes.
/// A JSON Lines file that only grew is read from where the last run stopped (`JSONLinesState`).
///
/// Each batch is a Xapian transaction. A run that fails part-way (a full disk, an I/O error) leaves its
/// batch open, and Xapian then abandons it on close instead of committing whatever half of it got written:
/// the index always holds exactly the articles of its last commit. (A failure inside the commit itself ends
/// the transaction; Xapian retries that whole commit on close, which either completes the batch or fails
/// again and leaves the previous revision.)
public final class Indexer {
    public let options: IndexerOptions
    /// The index's language, stemming and title weight: its own when it exists, else those `options` ask for.
    public let settings: IndexSettings
    /// The index; during a parallel build, the build's metadata database (the index itself stays as it was, its
    /// write lock held through `buildLock`, until the build is swapped in).
    private var database: WritableDatabase
    private let writer: ArticleWriter
    /// The parallel build under way, if this run builds a new index, or a large batch into one, on several cores.
    private var build: ParallelBuild?
    private var buildLock: WritableDatabase?
    /// JSON Lines states whose last line (without a newline) went to a shard: their `tail` is the merged docid.
    private var tailsToResolve: [(state: JSONLinesState, articleID: String)] = []
    /// The index's documents that this run's articles replaced (by id), never deleted as leftovers of their files.
    private var replacedThisRun = Set<DocumentID>()
    /// Articles handed to a parallel build since its last checkpoint.
    private var sinceCheckpoint = 0
    /// A parallel build checkpoints every this many batches of articles (20,000 by default: about a minute of
    /// two writers here), so that a kill loses at most that much work.
    static let batchesPerCheckpoint = 20
    private let logger: Logger
    private var pendingChanges = 0
    /// The process-wide count of reads the decompression fix completed, when this indexer opened: close reports
    /// this indexer's own.
    private let compressedReadsAtOpen = Database.compressedReadsCompleted
    private var batchOpen = false
    /// The JSON Lines file being read, and how far: written with every commit made while reading it.
    private var fileInProgress: FileInProgress?
    /// Spelling data, kept by the indexer rather than the term generator. The term generator adds every
    /// occurrence of every word to the spelling table, and each commit then rewrites the n-gram lists of the
    /// batch's new words, which a Zipfian vocabulary brings in every batch: a third of indexing CPU (issue 17).
    /// The rule instead: the words of a run's documents (unprefixed, unstemmed, occurrences summed) are added
    /// in the run's last commit, once. Meanwhile `Metadata.spellingPending` is set (in the first batch of the
    /// run), so that after a kill -9 part-way the next indexer, finding it set, adds the words of the index that
    /// the spelling data lacks (term frequency as their frequency) before clearing it. The writers collect the
    /// words they store; this holds the others (a recovery's, a parallel build's). nil when spelling is off.
    private var spellingWords: [String: Int]?
    /// Whether this indexer set `Metadata.spellingPending` in a batch it has not cleared since.
    private var spellingMarked = false
    /// Whether the first run looked for words a killed run left out of the spelling data.
    private var spellingRecoveryChecked = false
    /// The database was created by this indexer and opened without fsync (`IndexerOptions.noSyncWhileCreating`):
    /// each run ends by syncing its files.
    private var syncsFilesItself: Bool

    private struct FileInProgress {
        var key: String
        var state: JSONLinesState
        /// After the last line handled (newest first: its fingerprint's digest is only taken when needed).
        var checkpoint: JSONLinesCheckpoint?

        var current: JSONLinesState {
            var current = state
            if let checkpoint { current.position = checkpoint.position }
            return current
        }
    }

    /// Opens (or creates) the database and takes its write lock.
    public init(options: IndexerOptions, logger: Logger = Logger(label: "quarry.index")) throws(IndexerError) {
        self.options = options
        self.logger = logger
        let path = options.databasePath
        if UnfinishedDatabase.isUnfinished(at: path) {
            logger.warning("\(path) holds a database whose creation was interrupted (no commit, nothing to lose): starting it afresh")
            do {
                try UnfinishedDatabase.clear(at: path)
            } catch {
                throw .database(path: path, XapianError(kind: .unknown, message: "cannot clear it: \(error)"))
            }
        }
        let creating = !FileManager.default.fileExists(atPath: path + "/iamglass")
        // Xapian creates the index's own folder, not missing ones above it (`--db ~/indexes/news` on a new machine).
        let parent = (path as NSString).deletingLastPathComponent
        if creating, !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        syncsFilesItself = creating && options.noSyncWhileCreating
        let database: WritableDatabase
        do {
            database = try WritableDatabase(path: path, mode: .createOrOpen, options: syncsFilesItself ? .noSync : [])
        } catch {
            throw Self.openingError(path: path, error)
        }
        self.database = database

        let stored = (try? IndexSettings.Stored(in: database)) ?? IndexSettings.Stored()
        settings = try IndexSettings(stored, requested: options)

        writer = try ArticleWriter(settings: settings, options: options)
        if options.spelling { spellingWords = [:] }
        do {
            if stored.language == nil { try writeSettings() }
        } catch {
            throw .database(path: path, error)
        }
    }

    /// Says what is wrong with `path` when Xapian could not open it for writing. Xapian reports a lock file it may
    /// not create as a lock held by another writer, and a regular file as a stub database with a bad line.
    static func openingError(path: String, _ error: XapianError) -> IndexerError {
        if IndexFiles.isFile(path) { return .notAnIndex(path: path) }
        let folder = FileManager.default.fileExists(atPath: path) ? path : (path as NSString).deletingLastPathComponent
        if !FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) { return .notWritable(path: path) }
        return error.kind == .databaseLock ? .locked(path: path) : .database(path: path, error)
    }

    /// Written once, when the database is new: later runs and the daemon follow what it says.
    private func writeSettings() throws(XapianError) {
        try database.setMetadata(IndexSchema.Metadata.schemaVersion, IndexSchema.version)
        try settings.write(to: database)
    }

    /// Releases the write lock. Pending changes are committed first.
    public func close() throws(IndexerError) {
        do {
            try commitBatch()
            try database.commit()
            try database.close()
            if syncsFilesItself { try IndexFiles.sync(options.databasePath) }
        } catch {
            throw .database(path: options.databasePath, error)
        }
        let completed = Database.compressedReadsCompleted - compressedReadsAtOpen
        if completed > 0 {
            logger.info("""
                \(completed) reads of compressed index data were completed by the fix for Xapian's decompression \
                bug (Xapian alone would have failed them; docs/xapian-decompression-bug.md)
                """)
        }
    }

    /// One pass over `roots` (folders or files). `shouldStop` is polled between documents (between the lines
    /// of a JSON Lines file too): when it says yes, the work done so far is committed, with how far the file
    /// being read got, and the summary says `interrupted`; the next run goes on from there.
    /// `progress` is called every `options.progressInterval`, within a file as well as between files.
    public func run(
        roots: [URL],
        progress: (IndexProgress) -> Void = { _ in },
        warn: (IndexWarning) -> Void = { _ in },
        shouldStop: () -> Bool = { false }
    ) throws(IndexerError) -> IndexSummary {
        let start = ContinuousClock.now
        var summary = IndexSummary()
        do {
            // A previous run that failed part-way may have left its batch open, with a file half read: that
            // batch is still the one to commit, so its state goes with it.
            try flushFileInProgress()
            summary.salvaged = try salvageKilledBuild()
            if summary.salvaged > 0 { spellingRecoveryChecked = true }  // made from the index at the end instead
            try recoverSpelling()
            let catalog = try SourceCatalog(database: database)
            var entries: [CorpusEntry] = []
            CorpusScanner(roots: roots, maxFileBytes: options.maxFileBytes).scan({ entries.append($0) }) { warning in
                summary.skip(warning.reason)
                warn(IndexWarning(path: warning.path, line: nil, reason: warning.reason, message: warning.message))
            }
            summary.filesScanned = entries.count
            let bytesTotal = entries.reduce(0) { $0 + $1.size }
            // After a salvage (a merge already), the rest goes in with one writer, which also makes the spelling
            // data from the index (`spellingFromIndex`).
            if options.jobs > 1, bytesTotal > 0, summary.salvaged == 0, try wantsParallelBuild(entries, catalog: catalog) {
                if ParallelBuild.isPossible(for: options.databasePath) {
                    try startBuild()
                    summary.shards = options.jobs
                } else {
                    logger.notice("""
                        cannot create \(ParallelBuild.folder(for: options.databasePath)) beside the index (its \
                        parent folder is not writable): indexing with one writer
                        """)
                }
            }
            var seen = Set<String>()
            defer { replacedThisRun = [] }
            var bytesDone = 0
            var lastReport = start

            func report(filesDone: Int, documents: Int, file: CorpusEntry?, fileBytes: Int, fileDocuments: Int,
                        force: Bool) {
                let now = ContinuousClock.now
                guard force || now - lastReport >= options.progressInterval else { return }
                lastReport = now
                progress(IndexProgress(
                    filesDone: filesDone, filesTotal: entries.count,
                    bytesDone: bytesDone + fileBytes, bytesTotal: bytesTotal,
                    documents: documents, elapsed: (now - start).seconds,
                    file: file?.url.path, fileBytesDone: fileBytes, fileBytesTotal: file?.size ?? 0,
                    fileDocuments: fileDocuments))
            }

            for (position, entry) in entries.enumerated() {
                if shouldStop() {
                    summary.interrupted = true
                    break
                }
                let path = entry.url.path
                let signature = entry.signature
                seen.insert(path)
                let known = catalog[path]
                if catalog.isUnchanged(entry) {
                    summary.unchanged += known?.documents.count ?? 0
                } else {
                    switch entry.kind {
                    case .text:
                        summary.bytesRead += entry.size
                        try indexText(entry, source: ArticleSource(path: path, signature: signature),
                                      replacing: known?.documents ?? [], into: &summary, warn: warn)
                    case .jsonLines:
                        let stopped = try indexJSONLines(
                            entry, signature: signature, known: known, state: catalog.jsonLines[path],
                            into: &summary, warn: warn, shouldStop: shouldStop
                        ) { fileBytes, documents, fileDocuments in
                            report(filesDone: position, documents: documents, file: entry, fileBytes: fileBytes,
                                   fileDocuments: fileDocuments, force: false)
                        }
                        if stopped { summary.interrupted = true }
                    }
                }
                bytesDone += entry.size
                report(filesDone: position + 1, documents: summary.added + summary.updated, file: nil, fileBytes: 0,
                       fileDocuments: 0, force: position == entries.count - 1 || summary.interrupted)
                if summary.interrupted { break }
            }

            if options.deleteMissing && !summary.interrupted {
                let rootPaths = roots.map { $0.standardizedFileURL.path }
                for (_, entry) in catalog.vanished(under: rootPaths, seen: seen) {
                    for docid in entry.documents { try delete(docid, into: &summary) }
                }
                for path in catalog.vanishedJSONLines(under: rootPaths, seen: seen) {
                    try openBatch()
                    try database.setMetadata(IndexSchema.Metadata.jsonLinesKey(for: path), "")  // "" deletes it
                }
            }
            if let build {
                let read = summary.added + summary.updated
                try finishBuild(build, into: &summary) { phase in
                    progress(IndexProgress(
                        filesDone: entries.count, filesTotal: entries.count, bytesDone: bytesDone,
                        bytesTotal: bytesTotal, documents: read, elapsed: (ContinuousClock.now - start).seconds,
                        phase: phase))
                }
            } else {
                if summary.salvaged > 0 { try spellingFromIndex() }
                try writeSpelling()
                try commitBatch()
                try database.commit()  // settings written by init, when nothing else changed
                if syncsFilesItself { try IndexFiles.sync(options.databasePath) }
            }
            summary.documentsInIndex = try database.documentCount()
        } catch {
            let building = build != nil
            abandonBuild()
            if let error = error as? XapianError { throw .database(path: options.databasePath, error) }
            if building { throw .build(path: options.databasePath, "\(error)") }
            throw .database(path: options.databasePath, XapianError(kind: .unknown, message: "\(error)"))
        }
        summary.seconds = (ContinuousClock.now - start).seconds
        let changed = summary.added + summary.updated
        summary.documentsPerSecond = summary.seconds > 0 ? Double(changed) / summary.seconds : 0
        summary.indexBytes = IndexFiles.bytes(at: options.databasePath)
        return summary
    }

    private func indexText(
        _ entry: CorpusEntry, source: ArticleSource, replacing previous: [DocumentID],
        into summary: inout IndexSummary, warn: (IndexWarning) -> Void
    ) throws {
        // The limit again: the file may have grown since the scan.
        let docid: DocumentID
        switch ArticleFileReader.readText(entry: entry, maxFileBytes: options.maxFileBytes) {
        case .success(let article):
            docid = try store(article, source: source, into: &summary)
        case .failure(let reason):
            summary.skip(reason)
            warn(IndexWarning(path: entry.url.path, line: nil, reason: reason, message: reason.summary))
            return  // keep whatever was indexed from this file before: nothing already indexed is lost
        }
        if options.deleteMissing {
            for old in previous where old != docid { try delete(old, into: &summary) }
        }
    }

    /// A changed JSON Lines file (`SourceCatalog.isUnchanged` skips one read to the end in this very version):
    /// read from where the state says when the bytes read before are unchanged (lines appended, or a read that
    /// was stopped); read whole otherwise, and then its documents left over from the earlier version are deleted.
    /// Returns true when a stop request ended the read before the end of the file.
    private func indexJSONLines(
        _ entry: CorpusEntry, signature: String, known: SourceCatalog.Entry?, state: JSONLinesState?,
        into summary: inout IndexSummary, warn: (IndexWarning) -> Void, shouldStop: () -> Bool,
        progress: (_ fileBytes: Int, _ documents: Int, _ fileDocuments: Int) -> Void
    ) throws -> Bool {
        let path = entry.url.path

        var reader = JSONLinesReader(url: entry.url)
        // One line is one article: the same size limit as a .txt article, and memory stays bounded.
        reader.maxLineBytes = options.maxFileBytes
        // First the cheap way when there is one: go on from where the last read got to.
        var resume = state.map { (stamp: $0.stamp, position: $0.position, tail: $0.tail) }
        var produced = Set<DocumentID>()
        var tail: DocumentID?
        var tailArticleID: String?
        var failure: Error?
        var stopped = false
        var fileDocuments = 0
        var outcome: JSONLinesReadOutcome
        repeat {
            let stamp = resume?.stamp ?? signature
            let source = ArticleSource(path: path, signature: stamp)
            let from = resume?.position ?? .start
            fileInProgress = FileInProgress(
                key: IndexSchema.Metadata.jsonLinesKey(for: path),
                state: JSONLinesState(path: path, stamp: stamp, position: from, complete: nil, tail: resume?.tail))
            do {
                outcome = try reader.read(from: from) { line in
                    // Set first: a commit while storing this line's article says this line is done.
                    if let checkpoint = line.checkpoint { fileInProgress?.checkpoint = checkpoint }
                    switch line.result {
                    case .success(var article)?:
                        article.category = article.category ?? entry.category
                        do {
                            let docid = try store(article, source: source, into: &summary)
                            produced.insert(docid)
                            fileDocuments += 1
                            if line.checkpoint == nil { (tail, tailArticleID) = (docid, article.id) }
                        } catch {
                            failure = error
                            return false
                        }
                    case .failure(let error)?:
                        summary.skip(error.reason)
                        warn(IndexWarning(path: path, line: line.number, reason: error.reason, message: error.detail))
                    case nil:
                        break
                    }
                    progress(line.checkpoint?.offset ?? entry.size, summary.added + summary.updated, fileDocuments)
                    if shouldStop() {
                        stopped = true
                        return false
                    }
                    return true
                }
            } catch {
                // What was stored before the error stays, and so does how far it got: never a document of this
                // file committed without its state, which would make a half-read file look whole.
                if let reached = fileInProgress?.current { try writeState(reached) }
                summary.skip(.unreadable)
                warn(IndexWarning(path: path, line: nil, reason: .unreadable, message: "\(error)"))
                return false  // keep whatever was indexed from this file before: nothing already indexed is lost
            }
            if let failure { throw failure }
            if outcome == .prefixChanged {
                resume = nil  // edited, truncated or replaced: read it all again
            } else {
                summary.bytesRead += max(0, entry.size - from.offset)
            }
        } while outcome == .prefixChanged

        guard var finished = fileInProgress?.current else { return stopped }
        if stopped {
            // Not complete: the next run goes on from the last line done.
            try writeState(finished)
            return true
        }
        // Read to the end: documents left over from an earlier version of the file go (those stamped
        // otherwise, and an unfinished last line's that the line no longer gives).
        var kept = 0
        for docid in known?.documents ?? [] where !produced.contains(docid) {
            let leftOver = known!.stamp(of: docid) != finished.stamp || docid == finished.tail
            if leftOver && options.deleteMissing {
                try delete(docid, into: &summary)
            } else {
                kept += 1
            }
        }
        summary.unchanged += kept
        finished.complete = signature
        finished.tail = tail
        try writeState(finished, tailArticleID: tailArticleID)
        return false
    }

    /// Stores the state of the file in progress, in the open batch, and leaves that file. In a parallel build, a
    /// tail's docid is known once the shards are done: `tailArticleID` names it.
    private func writeState(_ state: JSONLinesState, tailArticleID: String? = nil) throws(XapianError) {
        if build != nil, let tailArticleID { tailsToResolve.append((state, tailArticleID)) }
        try openBatch()
        try database.setMetadata(IndexSchema.Metadata.jsonLinesKey(for: state.path), state.encoded())
        fileInProgress = nil
    }

    private func flushFileInProgress() throws(XapianError) {
        guard let file = fileInProgress else { return }
        if batchOpen { try database.setMetadata(file.key, file.current.encoded()) }
        fileInProgress = nil
    }

    /// Returns the article's docid. In a parallel build, the docid of the index's article it replaces (a parallel
    /// update's), as one writer replaces it in place, else 0: known once the shards are merged (an article that
    /// replaces another in its shard is counted as added until then).
    private func store(_ article: Article, source: ArticleSource, into summary: inout IndexSummary) throws -> DocumentID {
        if let build {
            var inIndex: DocumentID?
            if build.updatesIndex, let index = buildLock {
                inIndex = try index.firstDocument(withTerm: IndexSchema.uniqueTerm(for: article.id))
            }
            try build.add(article, source: source, replacingIndexArticle: inIndex != nil)
            if let inIndex { noteReplaced(inIndex, into: &summary) } else { summary.added += 1 }
            sinceCheckpoint += 1
            if sinceCheckpoint >= options.batchSize * Self.batchesPerCheckpoint { try checkpoint(build) }
            return inIndex ?? 0
        }
        try openBatch()
        let (docid, existed) = try writer.store(article, source: source, in: database)
        if existed { noteReplaced(docid, into: &summary) } else { summary.added += 1 }
        try noteChange()
        return docid
    }

    private func noteReplaced(_ docid: DocumentID, into summary: inout IndexSummary) {
        summary.updated += 1
        replacedThisRun.insert(docid)
    }

    /// Deletes a document of the index: in a parallel update, from the merged database (`ParallelBuild`). Not one
    /// this run replaced: the catalog read at the start still lists it under the file it came from, but an
    /// article of another file (an id that moved) holds it now.
    private func delete(_ docid: DocumentID, into summary: inout IndexSummary) throws {
        guard !replacedThisRun.contains(docid) else { return }
        try openBatch()
        if let build { build.deleteFromIndex(docid) } else { try database.deleteDocument(docid) }
        summary.deleted += 1
        try noteChange()
    }

    // MARK: - Parallel build

    /// A new index is built in parallel; so is a batch into an existing index that is at least
    /// `options.parallelUpdateShare` of what the index holds (the merge then rewrites the whole index, which a
    /// smaller batch does not repay).
    private func wantsParallelBuild(_ entries: [CorpusEntry], catalog: SourceCatalog) throws -> Bool {
        let documents = try database.documentCount()
        if documents == 0 { return try database.lastDocumentID() == 0 }
        let batch = entries.reduce(0) { $0 + catalog.bytesToRead($1) }
        guard batch > 0 else { return false }
        return Double(batch) >= options.parallelUpdateShare * Double(try IndexedText.estimatedBytes(in: database))
    }

    /// Starts a parallel build of this index (new, or taking a large batch): what is pending is committed to
    /// the index, whose lock stays held, and the run's metadata goes to the build's metadata database, which
    /// starts as a copy of it.
    private func startBuild() throws {
        try commitBatch()
        try database.commit()
        let build = try ParallelBuild(path: options.databasePath, jobs: options.jobs, settings: settings,
                                      options: options, updating: try database.documentCount() > 0)
        do {
            for key in try database.metadataKeys() { try build.metadata.setMetadata(key, try database.metadata(key)) }
        } catch {
            build.cancel()
            throw error
        }
        buildLock = database
        database = build.metadata
        self.build = build
    }

    /// Every shard commits what it was given, then the metadata database commits (with the state of the file
    /// in progress) and the checkpoint mark: a build killed after this is salvaged as it stands (`KilledBuild`).
    private func checkpoint(_ build: ParallelBuild) throws {
        sinceCheckpoint = 0
        try build.checkpoint()
        try openBatch()
        try database.setMetadata(IndexSchema.Metadata.buildCheckpoint, "1")
        try commitBatch()
    }

    /// A parallel build killed part-way (its folder beside this empty index holds a checkpoint) is merged as it
    /// stood and becomes the index; this run then goes on from there, as an incremental run. Returns the
    /// documents kept.
    private func salvageKilledBuild() throws -> Int {
        guard build == nil else { return 0 }
        guard try database.lastDocumentID() == 0 else {
            // A build killed after its swap leaves its folder behind (this run holds the index's lock: no build
            // of it is running).
            try? FolderSwap.removeTree(ParallelBuild.folder(for: options.databasePath))
            return 0
        }
        guard let killed = KilledBuild.find(for: options.databasePath) else { return 0 }
        logger.notice("\(killed.folder) holds a parallel build killed part-way: merging it as of its last checkpoint")
        let kept = try killed.salvage()
        // The merged index is the index now: open it (taking its lock) before letting go of the one it replaced.
        let replaced = database
        database = try WritableDatabase(path: options.databasePath, mode: .open)
        try? replaced.close()
        syncsFilesItself = false
        spellingMarked = !((try? database.metadata(IndexSchema.Metadata.spellingPending)) ?? "").isEmpty
        return kept
    }

    /// Completes a parallel build: the shards finish, the run's metadata and spelling data are committed to the
    /// metadata database, everything is merged into one compact database, synced, and swapped in for the index.
    private func finishBuild(
        _ build: ParallelBuild, into summary: inout IndexSummary, progress: (IndexProgress.Phase) -> Void
    ) throws {
        let shards = try build.finishShards()
        summary.added -= shards.replaced
        summary.updated += shards.replaced
        spellingWords?.merge(shards.spellingWords, uniquingKeysWith: +)
        if !build.updatesIndex {
            for (state, articleID) in tailsToResolve {
                var resolved = state
                resolved.tail = try build.mergedDocumentID(of: articleID)
                try writeState(resolved)
            }
            tailsToResolve = []
        }
        // The finished build is a checkpoint too: killed while merging, it is merged again by the next run.
        try openBatch()
        try database.setMetadata(IndexSchema.Metadata.buildCheckpoint, "1")
        try writeSpelling()
        try commitBatch()
        try database.commit()

        progress(.merging(shards: build.jobs))
        let mergeStart = ContinuousClock.now
        try build.merge { _, _ in true }
        if build.updatesIndex {
            try build.reconcileUpdate(tails: Dictionary(
                tailsToResolve.map { (IndexSchema.Metadata.jsonLinesKey(for: $0.state.path), $0.articleID) },
                uniquingKeysWith: { $1 }))
            tailsToResolve = []
        }
        try build.install()
        summary.mergeSeconds = (ContinuousClock.now - mergeStart).seconds
        // The built index is the index now: open it (taking its lock) before letting go of the one it replaced.
        database = try WritableDatabase(path: options.databasePath, mode: .open)
        try? buildLock?.close()
        buildLock = nil
        self.build = nil
        syncsFilesItself = false
        try? FolderSwap.removeTree(build.folder)
    }

    /// After a failure in a parallel build: the build goes, and the index is as it was (committed settings only).
    private func abandonBuild() {
        guard let build, let buildLock else { return }
        build.cancel()
        database = buildLock
        self.buildLock = nil
        self.build = nil
        batchOpen = false
        pendingChanges = 0
        fileInProgress = nil
        tailsToResolve = []
        if spellingWords != nil { spellingWords = [:] }
        spellingMarked = !((try? database.metadata(IndexSchema.Metadata.spellingPending)) ?? "").isEmpty
    }

    /// Called before each change: the first change of a batch starts its transaction.
    private func openBatch() throws(XapianError) {
        guard !batchOpen else { return }
        try database.beginTransaction(flushed: true)
        batchOpen = true
        if spellingWords != nil && !spellingMarked {
            try database.setMetadata(IndexSchema.Metadata.spellingPending, "1")
            spellingMarked = true
        }
    }

    /// The run's words into the spelling data, in the open batch (the run's last), and the mark cleared.
    private func writeSpelling() throws(XapianError) {
        guard let words = spellingWords, spellingMarked || !words.isEmpty else { return }
        try openBatch()
        for (word, frequency) in words.merging(writer.takeSpellingWords(), uniquingKeysWith: +) {
            try database.addSpelling(word, frequencyIncrement: frequency)
        }
        try database.setMetadata(IndexSchema.Metadata.spellingPending, "")  // "" deletes it
        spellingWords = [:]
        spellingMarked = false
    }

    /// Once per indexer: when a run was killed before writing its words, every word of the index is brought up
    /// to its occurrences in the documents (collection frequency, less the title weight's extra: what a clean
    /// build gives it) in this run's last commit.
    private func recoverSpelling() throws(XapianError) {
        guard spellingWords != nil, !spellingRecoveryChecked else { return }
        spellingRecoveryChecked = true
        guard !(try database.metadata(IndexSchema.Metadata.spellingPending)).isEmpty else { return }
        let lacking = try spellingLacking()
        spellingWords!.merge(lacking, uniquingKeysWith: +)
        try openBatch()  // sets the mark again if needed: it is cleared with this run's words
        logger.notice("an earlier run was stopped before writing its spelling data: \(lacking.count) words to add")
    }

    /// After a salvaged build, the spelling data is made from the index as this run leaves it (before its last
    /// commit): the salvaged documents' words were never counted, and articles read again past the checkpoint
    /// would be counted twice from the run's own words.
    private func spellingFromIndex() throws(XapianError) {
        guard spellingWords != nil else { return }
        _ = writer.takeSpellingWords()
        spellingWords = try spellingLacking()
        try openBatch()
    }

    /// Each word's occurrences in the index that the spelling data does not count yet.
    private func spellingLacking() throws(XapianError) -> [String: Int] {
        let known = Dictionary(try database.spellings().map { ($0.term, $0.count) }, uniquingKeysWith: +)
        var lacking: [String: Int] = [:]
        for (word, occurrences) in try wordOccurrences() {
            let missing = occurrences - (known[word] ?? 0)
            if missing > 0 { lacking[word] = missing }
        }
        return lacking
    }

    /// Each word's occurrences in the index: its collection frequency, less the title weight's extra; with a
    /// stemming strategy that indexes stems only (`all`, `all_z`), counted from the stored articles instead,
    /// which reads every document (only after a killed run or a salvaged build).
    private func wordOccurrences() throws(XapianError) -> [String: Int] {
        var occurrences: [String: Int] = [:]
        let builder = writer.builder
        guard settings.stemming.keepsWordsAsWritten else {
            for docid in try database.postings("") {
                guard let stored = try? StoredData.decode(try database.document(docid).data()) else { continue }
                try builder.writtenWords(title: stored.title, standfirst: stored.standfirst, body: stored.body) {
                    occurrences[$0, default: 0] += $1
                }
            }
            return occurrences
        }
        let extra = builder.titleWeight - 1
        for entry in try database.allTerms() where !ArticleDocumentBuilder.isPrefixed(entry.term) {
            var count = try database.collectionFrequency(entry.term)
            if extra > 0 { count -= extra * (try database.collectionFrequency(IndexSchema.Prefix.title + entry.term)) }
            occurrences[entry.term] = count
        }
        return occurrences
    }

    private func noteChange() throws(XapianError) {
        pendingChanges += 1
        if pendingChanges >= options.batchSize { try commitBatch() }
    }

    /// Commits the open batch, if any: one new revision holding all of it, and how far the JSON Lines file
    /// being read has got (so that the state always goes with the documents it accounts for).
    private func commitBatch() throws(XapianError) {
        pendingChanges = 0
        guard batchOpen else { return }
        if let file = fileInProgress { try database.setMetadata(file.key, file.current.encoded()) }
        try database.commitTransaction()
        batchOpen = false
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
