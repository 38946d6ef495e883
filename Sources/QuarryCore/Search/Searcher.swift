import Foundation
import Xapian

/// The search engine over one Quarry index, for one thread (it owns a Xapian Database). The daemon keeps
/// one per worker thread; `quarry search --db` uses one directly. Both therefore answer identically.
///
/// It follows the index at `path`: new commits (reopen), and also an index removed (every call then fails
/// with `indexUnavailable`, a 503 in the daemon) or replaced by another one (a rebuild, or a fresh index
/// renamed into place: opened afresh, since Xapian's reopen would go on reading the old, unlinked files).
public final class Searcher: SearchBackend {
    public let path: String
    public let settings: SearchSettings
    public private(set) var language: String
    private(set) var database: Database
    /// Where "did you mean" looks words up: `settings.spellingIndex` when set, else nil (the searched index).
    private(set) var spelling: Database?
    private(set) var parser: QueryParser
    private(set) var stemmer: Stem
    /// How the index was stemmed (quarry-index --stemming): queries must stem the same way, or a STEM_ALL index
    /// (no Z prefix) would never match a STEM_SOME query's Z terms.
    private(set) var stemming: StemmingStrategy
    /// The database's UUID when opened: another UUID at the same path is another index.
    private var uuid: String
    /// The version file as last seen; nil when it was missing.
    private var versionStamp: IndexVersionStamp?
    /// Why the index can't be used right now (removed, unreadable); cleared when it is back.
    private var unavailable: String?
    private var lastReopenCheck = ContinuousClock.now
    private var termCountCache: (revision: UInt64, count: Int)?
    private var dateFactsCache: (revision: UInt64, facts: DateFacts)?
    /// A remote shard failed: opening the shards again may wait for the connect timeout (a hung server accepts
    /// connections and says nothing), so this worker tries it every `settings.remoteRetryInterval`, not on every
    /// request.
    private var remoteShardDown = false
    /// Changes seen in a stub database's shards (which have no one revision): its caches' key.
    private var shardsGeneration: UInt64 = 0

    /// One open index: the database and what depends on it.
    private struct OpenIndex {
        var database: Database
        var spelling: Database?
        var parser: QueryParser
        var stemmer: Stem
        var stemming: StemmingStrategy
        var language: String
        var uuid: String

        /// Opens the index, trying again briefly when what is at the path reads as corrupt or unopenable:
        /// `quarry-index compact` swaps a new index in with one folder exchange, and Xapian opens a database's
        /// files one by one, so an open that straddles the exchange can mix the two; the next one cannot.
        static func retrying(path: String, settings: SearchSettings) throws(XapianError) -> OpenIndex {
            var attempt = 1
            while true {
                do {
                    return try OpenIndex(path: path, settings: settings)
                } catch where attempt < 3 && [.databaseCorrupt, .databaseOpening].contains(error.kind) {
                    attempt += 1
                    usleep(20_000)
                }
            }
        }

        init(path: String, settings: SearchSettings) throws(XapianError) {
            database = try Self.open(path, settings)
            // Suggestions are an extra: a spelling copy that cannot be read (quarryd checks it exists at start-up)
            // must not make the index unavailable.
            spelling = settings.spellingIndex.flatMap { try? Database(path: $0) }
            let stored = IndexSettings(try IndexSettings.Stored(in: database))
            (language, stemming) = (stored.language, stored.stemming)
            stemmer = try Stem(language: language)
            parser = try Searcher.makeParser(database: database, stemmer: stemmer, stemming: stemming,
                                             language: language, settings: settings)
            uuid = try database.uuid()
        }

        /// A stub database is opened shard by shard (StubDatabase), so that its remote shards get the configured
        /// timeouts; anything else as Xapian opens it.
        static func open(_ path: String, _ settings: SearchSettings) throws(XapianError) -> Database {
            guard let stub = StubDatabase.file(at: path) else { return try Database(path: path) }
            return try Database(shards: StubDatabase.locations(inFile: stub), remoteTimeouts: settings.remoteTimeouts)
        }
    }

    /// `field:value` filters whose value is one exact term (QueryParser's boolean prefixes).
    static let booleanPrefixes: [(field: String, prefix: String)] = [
        ("category", IndexSchema.Prefix.category), ("id", IndexSchema.Prefix.uniqueID),
        ("year", IndexSchema.Prefix.year), ("month", IndexSchema.Prefix.month),
    ]
    /// `date:` ranges (QueryParser's range processor on the date slot).
    static let dateRangeField = "date"
    /// The fields whose values are exact terms or a range, never words: the boolean prefixes and the date range.
    static let booleanFields = Set(booleanPrefixes.map(\.field) + [dateRangeField])

    static let parserFlags: QueryParser.Flags = [.boolean, .phrase, .loveHate, .wildcard, .pureNot]

    public init(path: String, settings: SearchSettings = SearchSettings()) throws(SearchFailure) {
        self.path = path
        self.settings = settings
        // Stamped before opening: a commit in between only causes one needless reopen.
        versionStamp = IndexVersionStamp(following: path)
        let index: OpenIndex
        do {
            index = try OpenIndex.retrying(path: path, settings: settings)
        } catch {
            throw SearchFailure.indexUnavailable(Searcher.cannotOpen(path, error))
        }
        // Any file opens as a Xapian stub database (an empty one as an index of nothing): a file that is not one
        // of Quarry's has no schema version.
        if IndexFiles.isFile(path), (try? index.database.metadata(IndexSchema.Metadata.schemaVersion)) ?? "" == "" {
            throw SearchFailure.indexUnavailable(Searcher.notAnIndex)
        }
        (database, spelling, parser, stemmer, stemming, language, uuid) = (
            index.database, index.spelling, index.parser, index.stemmer, index.stemming, index.language, index.uuid)
    }

    private func use(_ index: OpenIndex) {
        (database, spelling, parser, stemmer, stemming, language, uuid) = (
            index.database, index.spelling, index.parser, index.stemmer, index.stemming, index.language, index.uuid)
        termCountCache = nil
        dateFactsCache = nil
    }

    /// An Enquire for `query` weighted and time-limited as every search here is.
    func enquire(_ query: Query) throws(XapianError) -> Enquire {
        let enquire = try Enquire(database: database)
        try enquire.setQuery(query)
        try enquire.setWeighting(settings.bm25)
        if settings.timeLimit > 0 { try enquire.setTimeLimit(seconds: settings.timeLimit) }
        return enquire
    }

    /// The years present and whether some articles are dateless, read once per revision (date sorts and ranges).
    func dateFacts() throws(XapianError) -> DateFacts {
        let revision = try currentRevision()
        if let cached = dateFactsCache, cached.revision == revision { return cached.facts }
        let facts = try DateFacts(database: database)
        dateFactsCache = (revision, facts)
        return facts
    }

    /// The database's revision; for a stub database of several shards, the changes this searcher has seen.
    private func currentRevision() throws(XapianError) -> UInt64 {
        do {
            return try database.revision()
        } catch where error.kind == .invalidOperation || error.kind == .unimplemented {
            return shardsGeneration  // several shards, or a remote one (no revision over Xapian's remote protocol)
        }
    }

    /// English stopwords are left out on an index of another language.
    private static func makeParser(database: Database, stemmer: Stem, stemming: StemmingStrategy, language: String,
                                   settings: SearchSettings) throws(XapianError) -> QueryParser
    {
        let parser = QueryParser()
        try parser.setStemmer(stemmer)
        try parser.setStemmingStrategy(stemming)
        if let listLanguage = settings.stopwords.language, listLanguage == language {
            try parser.setStopper(Stopper(words: settings.stopwords.words))
        }
        try parser.setDatabase(database)
        try parser.setMaxExpansion(settings.maxWildcardExpansion)
        try parser.addPrefix(field: "title", prefix: IndexSchema.Prefix.title)
        try parser.addPrefix(field: "author", prefix: IndexSchema.Prefix.author)
        for (field, prefix) in booleanPrefixes {
            try parser.addBooleanPrefix(field: field, prefix: prefix)
        }
        try parser.addDateRange(slot: IndexSchema.Slot.date, prefix: dateRangeField + ":")
        return parser
    }

    // MARK: - Freshness

    /// Picks up what changed at `path` since the last look (at most every `reopenInterval`: between looks a
    /// request costs one clock read; while the index is unavailable, at every request, or every
    /// `remoteRetryInterval` after a remote shard failed), then throws
    /// `indexUnavailable` if the index is gone or unreadable.
    func refreshIfDue() throws(SearchFailure) {
        let now = ContinuousClock.now
        let seconds = remoteShardDown ? settings.remoteRetryInterval : unavailable != nil ? 0 : settings.reopenInterval
        if now - lastReopenCheck >= .milliseconds(Int(seconds * 1000)) {
            lastReopenCheck = now
            refresh()
            refreshSpelling()
        }
        if let unavailable { throw .indexUnavailable(unavailable) }
    }

    private func refresh() {
        // A stub database (a file listing shards, or a replica folder whose XAPIANDB names xapian-replicate's
        // live copy): its databases' commits do not show in a version file here, so ask Xapian, which compares
        // each one's revision (a few stats when nothing changed). A rewritten stub file (a replica switched to a
        // full copy in its other folder, which then deletes the old one) is opened afresh: reopen would stay on
        // the databases it named.
        if let stub = IndexFiles.stubFile(at: path) {
            let stamp = IndexVersionStamp(file: stub)
            if unavailable == nil, stamp == versionStamp {
                do {
                    if try database.reopen() { shardsGeneration += 1 }
                    return
                } catch where error.isRemoteFailure {
                    // A remote shard that does not answer now would not answer an open either (which would wait
                    // for the connect timeout): wait for the next retry.
                    _ = remoteShardFailed(IndexPath.redacting(path, in: error.message))
                    return
                } catch {}
            }
            versionStamp = stamp
            shardsGeneration += 1
            return openAgain()
        }
        guard let stamp = IndexVersionStamp(indexPath: path) else {
            versionStamp = nil
            unavailable = "the index is gone (removed, or being replaced); answering 503 until it is back"
            try? database.close()  // lets the filesystem free a deleted index's blocks now
            return
        }
        guard stamp != versionStamp || unavailable != nil else { return }  // the common case: one stat, no change
        versionStamp = stamp
        // A commit by quarry-index: reopen moves to the new revision of the same database.
        if unavailable == nil, (try? database.reopen()) == true, (try? database.uuid()) == uuid { return }
        // Anything else (another database at the path, a rebuild that reached the same revision, a failed
        // reopen, or an index that is back): open what is at the path now.
        openAgain()
    }

    /// The spelling copy (`settings.spellingIndex`) follows its commits; when it cannot be reopened (a replica
    /// that switched to a full copy deleted the folder it was open on) or could not be opened, it is opened
    /// again by its path.
    private func refreshSpelling() {
        guard let path = settings.spellingIndex else { return }
        if let spelling, (try? spelling.reopen()) != nil { return }
        spelling = try? Database(path: path)
    }

    private func openAgain() {
        do {
            use(try OpenIndex.retrying(path: path, settings: settings))
            unavailable = nil
            remoteShardDown = false
        } catch where error.isRemoteFailure {
            _ = remoteShardFailed(IndexPath.redacting(path, in: error.message))
        } catch {
            unavailable = "the index cannot be read: \(IndexPath.redacting(path, in: error.message))"
        }
    }

    /// Runs `body`; on DatabaseModifiedError (a writer recycled blocks we were reading) reopens and retries once.
    func withRetry<T>(_ body: () throws(XapianError) -> T) throws(XapianError) -> T {
        do {
            return try body()
        } catch where error.kind == .databaseModified {
            try database.reopen()
            return try body()
        }
    }

    // MARK: - SearchBackend

    public func search(_ request: SearchRequest) throws(SearchFailure) -> SearchResponse {
        let started = ContinuousClock.now
        try refreshIfDue()
        do {
            var response = try withRetry { () throws(XapianError) -> SearchResponse in
                try SearchExecution(searcher: self, request: request).run()
            }
            response.tookMicroseconds = Int((ContinuousClock.now - started).seconds * 1e6)
            return response
        } catch {
            throw failure(error)
        }
    }

    public func document(id: String) throws(SearchFailure) -> StoredArticle {
        try refreshIfDue()
        return try translatingErrors {
            let stored = try withRetry { () throws(XapianError) -> StoredData? in
                guard let docid = try database.firstDocument(withTerm: IndexSchema.uniqueTerm(for: id)) else {
                    return nil
                }
                return try? StoredData.decode(database.document(docid).data())
            }
            guard let stored else { throw SearchFailure.notFound("no article with id \"\(id)\"") }
            return stored
        }
    }

    public func similar(id: String, limit: Int) throws(SearchFailure) -> SearchResponse {
        let started = ContinuousClock.now
        try refreshIfDue()
        return try translatingErrors {
            guard let docid = try database.firstDocument(withTerm: IndexSchema.uniqueTerm(for: id)) else {
                throw SearchFailure.notFound("no article with id \"\(id)\"")
            }
            var response = try withRetry { () throws(XapianError) -> SearchResponse in
                try SimilarArticles(searcher: self, docid: docid, id: id, limit: limit).run()
            }
            response.tookMicroseconds = Int((ContinuousClock.now - started).seconds * 1e6)
            return response
        }
    }

    /// Runs `body`, turning Xapian's errors into the failures the daemon answers with.
    private func translatingErrors<T>(_ body: () throws -> T) throws(SearchFailure) -> T {
        do {
            return try body()
        } catch let failure as SearchFailure {
            throw failure
        } catch let error as XapianError {
            throw failure(error)
        } catch {
            throw .internal("\(error)")
        }
    }

    public func stats() throws(SearchFailure) -> IndexStats {
        try refreshIfDue()
        do {
            return try withRetry { () throws(XapianError) -> IndexStats in
                let revision = try currentRevision()
                let terms: Int
                if let cached = termCountCache, cached.revision == revision {
                    terms = cached.count
                } else {
                    terms = try database.allTerms().count
                    termCountCache = (revision, terms)
                }
                return IndexStats(documents: try database.documentCount(), terms: terms,
                                  averageLength: try database.averageLength(), revision: revision,
                                  lastModified: IndexFiles.lastModified(path), language: language,
                                  stemming: stemming.name, datedDocuments: try dateFacts().datedDocuments)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Reads the document count: proves the index opens and answers, without the file scan of `stats()`.
    public func checkHealth() throws(SearchFailure) {
        try refreshIfDue()
        do {
            _ = try withRetry { () throws(XapianError) in try database.documentCount() }
        } catch {
            throw failure(error)
        }
    }

    /// The failure a client is told about. Its message never holds the index's path: a daemon's clients need not
    /// know where its files are (the path is in quarryd's log, and `quarry --db` names it itself).
    func failure(_ error: XapianError) -> SearchFailure {
        let message = IndexPath.redacting(path, in: error.message)
        return switch error.kind {
        case .queryParser, .wildcard: .queryRejected(message)
        case .databaseOpening, .databaseNotFound, .databaseCorrupt, .databaseClosed, .databaseVersion:
            .indexUnavailable("the index cannot be read: \(message)")
        case _ where error.isRemoteFailure:
            remoteShardFailed(message)
        default: .internal("\(error.className): \(message)")
        }
    }

    /// A remote shard (xapian-tcpsrv behind a stub database) closed its connection or timed out: this request
    /// gets a 503, and so do the next ones until the index opens again, which the next reopen check tries (a
    /// shard that is back is used again without restarting).
    private func remoteShardFailed(_ message: String) -> SearchFailure {
        let reason = "a remote shard did not answer (\(message)); answering 503 until it does"
        unavailable = reason
        remoteShardDown = true
        lastReopenCheck = ContinuousClock.now
        return .indexUnavailable(reason)
    }

    static let notAnIndex = "not a Quarry index: the path is a file; an index is the folder quarry-index creates"

    /// Why the index could not be opened, without its path. A regular file is the usual mistake: Xapian reads
    /// a file as a stub database and reports its first line.
    static func cannotOpen(_ path: String, _ error: XapianError) -> String {
        if IndexFiles.isFile(path) { return notAnIndex }
        return "cannot open the index: \(IndexPath.redacting(path, in: error.message))"
    }
}

/// Keeping an index's path out of what clients are told.
enum IndexPath {
    /// `message` with the path (as given, and as an absolute path) replaced by "<index>".
    static func redacting(_ path: String, in message: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return [absolute, path].filter { $0.count > 1 }.reduce(message) {
            $0.replacingOccurrences(of: $1, with: "<index>")
        }
    }
}

extension XapianError {
    /// A remote shard closed its connection, refused it, or passed a timeout.
    var isRemoteFailure: Bool { kind == .network || kind == .networkTimeout }
}
