import Logging
import QuarryCore
import QuarryServer

/// THE single place quarryd gets its engine from: one `Searcher` per worker thread, created lazily by the
/// server's worker pool and re-created after a failure (so a daemon started before its index exists recovers).
func makeBackendFactory(dbPath: String, settings: SearchSettings) -> BackendFactory {
    { () throws(SearchFailure) -> any SearchBackend in try Searcher(path: dbPath, settings: settings) }
}

/// Started on a missing or unreadable (corrupt) index, quarryd still starts: it answers 503 with the reason
/// until a good index is at the path, then serves it without a restart. This says so once, at start-up.
func reportIndexState(dbPath: String, settings: SearchSettings, logger: Logger) {
    do {
        _ = try Searcher(path: dbPath, settings: settings)
    } catch {
        logger.warning("\(error.message); answering 503 (index_unavailable) until a readable index is there")
    }
}
