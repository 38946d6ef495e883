import Foundation
import Logging
import Xapian

/// The one writer: scans article folders and files, and adds, replaces and deletes documents so the index
/// matches them. Unchanged files (same size and mtime) are skipped; a changed file replaces its documents;
/// a vanished file's documents are deleted unless `deleteMissing` is off. Commits every `batchSize` changes.
///
/// Each batch is a Xapian transaction. A run that fails part-way (a full disk, an I/O error) leaves its
/// batch open, and Xapian then abandons it on close instead of committing whatever half of it got written:
/// the index always holds exactly the articles of its last commit. (A failure inside the commit itself ends
/// the transaction; Xapian retries that whole commit on close, which either completes the batch or fails
/// again and leaves the previous revision.)
public final class Indexer {
    public let options: IndexerOptions
    public let language: String
    private let database: WritableDatabase
    private let builder: ArticleDocumentBuilder
    private let logger: Logger
    private var pendingChanges = 0
    /// The process-wide count of reads the decompression fix completed, when this indexer opened: close reports
    /// this indexer's own.
    private let compressedReadsAtOpen = Database.compressedReadsCompleted
    private var batchOpen = false

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
        let database: WritableDatabase
        do {
            database = try WritableDatabase(path: path, mode: .createOrOpen)
        } catch {
            throw Self.openingError(path: path, error)
        }
        self.database = database

        let stored = (try? database.metadata(IndexSchema.Metadata.language)) ?? ""
        if !stored.isEmpty, let requested = options.language, requested != stored {
            throw .languageMismatch(path: path, stored: stored, requested: requested)
        }
        language = stored.isEmpty ? (options.language ?? IndexerOptions.defaultLanguage) : stored

        let generator = TermGenerator()
        do {
            try generator.setStemmer(Stem(language: language))
        } catch {
            throw .unknownLanguage(language)
        }
        builder = ArticleDocumentBuilder(generator: generator, titleWeight: options.titleWeight)
        do {
            try generator.setStemmingStrategy(options.stemming)
            if options.spelling { try generator.enableSpelling(into: database) }
            if stored.isEmpty { try writeSettings() }
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
        try database.setMetadata(IndexSchema.Metadata.language, language)
        try database.setMetadata(IndexSchema.Metadata.stemming, String(options.stemming.rawValue))
        try database.setMetadata(IndexSchema.Metadata.titleWeight, String(options.titleWeight))
    }

    /// Releases the write lock. Pending changes are committed first.
    public func close() throws(IndexerError) {
        do {
            try commitBatch()
            try database.commit()
            try database.close()
        } catch {
            throw .database(path: options.databasePath, error)
        }
        let completed = Database.compressedReadsCompleted - compressedReadsAtOpen
        if completed > 0 {
            logger.info("""
                \(completed) reads of compressed index data were completed by the fix for Xapian's decompression \
                bug (Xapian alone would have failed them; README, "Xapian's decompression bug")
                """)
        }
    }

    /// One pass over `roots` (folders or files). `shouldStop` is polled between documents: when it says yes,
    /// the work done so far is committed and the summary says `interrupted`.
    public func run(
        roots: [URL],
        progress: (IndexProgress) -> Void = { _ in },
        warn: (IndexWarning) -> Void = { _ in },
        shouldStop: () -> Bool = { false }
    ) throws(IndexerError) -> IndexSummary {
        let start = ContinuousClock.now
        var summary = IndexSummary()
        do {
            let catalog = try SourceCatalog(database: database)
            var entries: [CorpusEntry] = []
            CorpusScanner(roots: roots, maxFileBytes: options.maxFileBytes).scan({ entries.append($0) }) { warning in
                summary.skip(warning.reason)
                warn(IndexWarning(path: warning.path, line: nil, reason: warning.reason, message: warning.message))
            }
            summary.filesScanned = entries.count
            let bytesTotal = entries.reduce(0) { $0 + $1.size }
            var seen = Set<String>()
            var bytesDone = 0
            var lastReport = ContinuousClock.now

            for (position, entry) in entries.enumerated() {
                if shouldStop() {
                    summary.interrupted = true
                    break
                }
                let source = ArticleSource(path: entry.url.path, signature: "\(entry.size):\(entry.mtimeNanoseconds)")
                seen.insert(source.path)
                let known = catalog[source.path]
                if let known, known.signature == source.signature {
                    summary.unchanged += known.documents.count
                } else {
                    summary.bytesRead += entry.size
                    try index(entry, source: source, replacing: known?.documents ?? [], into: &summary, warn: warn)
                }
                bytesDone += entry.size
                let now = ContinuousClock.now
                if now - lastReport > .milliseconds(250) || position == entries.count - 1 {
                    lastReport = now
                    progress(IndexProgress(
                        filesDone: position + 1, filesTotal: entries.count,
                        bytesDone: bytesDone, bytesTotal: bytesTotal,
                        documents: summary.added + summary.updated, elapsed: (now - start).seconds))
                }
            }

            if options.deleteMissing && !summary.interrupted {
                let rootPaths = roots.map { $0.standardizedFileURL.path }
                for (_, entry) in catalog.vanished(under: rootPaths, seen: seen) {
                    for docid in entry.documents {
                        try openBatch()
                        try database.deleteDocument(docid)
                        summary.deleted += 1
                        try noteChange()
                    }
                }
            }
            try commitBatch()
            try database.commit()  // settings written by init, when nothing else changed
            summary.documentsInIndex = try database.documentCount()
        } catch {
            throw .database(path: options.databasePath,
                            error as? XapianError ?? XapianError(kind: .unknown, message: "\(error)"))
        }
        summary.seconds = (ContinuousClock.now - start).seconds
        let changed = summary.added + summary.updated
        summary.documentsPerSecond = summary.seconds > 0 ? Double(changed) / summary.seconds : 0
        summary.indexBytes = DirectorySize.bytes(at: options.databasePath)
        return summary
    }

    private func index(
        _ entry: CorpusEntry, source: ArticleSource, replacing previous: [DocumentID],
        into summary: inout IndexSummary, warn: (IndexWarning) -> Void
    ) throws {
        var produced = Set<DocumentID>()
        switch entry.kind {
        case .text:
            // The limit again: the file may have grown since the scan.
            switch ArticleFileReader.readText(entry: entry, maxFileBytes: options.maxFileBytes) {
            case .success(let article):
                produced.insert(try store(article, source: source, into: &summary))
            case .failure(let reason):
                summary.skip(reason)
                warn(IndexWarning(path: entry.url.path, line: nil, reason: reason, message: reason.summary))
                return  // keep whatever was indexed from this file before: nothing already indexed is lost
            }
        case .jsonLines:
            var failure: Error?
            do {
                // One line is one article: the same size limit as a .txt article, and memory stays bounded.
                try ArticleFileReader.readJSONLines(entry: entry, maxLineBytes: options.maxFileBytes) { line, result in
                    guard failure == nil else { return }
                    switch result {
                    case .success(var article):
                        article.category = article.category ?? entry.category
                        do {
                            produced.insert(try store(article, source: source, into: &summary))
                        } catch {
                            failure = error
                        }
                    case .failure(let error):
                        summary.skip(error.reason)
                        warn(IndexWarning(path: entry.url.path, line: line, reason: error.reason, message: error.message))
                    }
                }
            } catch {
                summary.skip(.unreadable)
                warn(IndexWarning(path: entry.url.path, line: nil, reason: .unreadable, message: "\(error)"))
                return
            }
            if let failure { throw failure }
        }
        // Documents this file used to hold but no longer does (lines removed from a JSON Lines file).
        if options.deleteMissing {
            for docid in previous where !produced.contains(docid) {
                try openBatch()
                try database.deleteDocument(docid)
                summary.deleted += 1
                try noteChange()
            }
        }
    }

    private func store(_ article: Article, source: ArticleSource, into summary: inout IndexSummary) throws -> DocumentID {
        // Before building: the term generator writes the article's spelling data into the database, and that
        // belongs in the same batch as the document.
        try openBatch()
        let document = try builder.document(for: article, source: source)
        let term = IndexSchema.uniqueTerm(for: article.id)
        let existed = try database.firstDocument(withTerm: term) != nil
        let docid = try database.replaceDocument(uniqueTerm: term, with: document)
        if existed { summary.updated += 1 } else { summary.added += 1 }
        try noteChange()
        return docid
    }

    /// Called before each change: the first change of a batch starts its transaction.
    private func openBatch() throws(XapianError) {
        guard !batchOpen else { return }
        try database.beginTransaction(flushed: true)
        batchOpen = true
    }

    private func noteChange() throws(XapianError) {
        pendingChanges += 1
        if pendingChanges >= options.batchSize { try commitBatch() }
    }

    /// Commits the open batch, if any: one new revision holding all of it.
    private func commitBatch() throws(XapianError) {
        pendingChanges = 0
        guard batchOpen else { return }
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

/// Bytes used by the files of a directory tree (an index's size on disk).
enum DirectorySize {
    static func bytes(at path: String) -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total = 0
        while let name = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? Int) ?? 0
            }
        }
        return total
    }
}
