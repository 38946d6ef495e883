import QuarryCore
import QuarryServer

/// THE single place quarryd gets its engine from: one `Searcher` per worker thread, created lazily by the
/// server's worker pool and re-created after a failure (so a daemon started before its index exists recovers).
func makeBackendFactory(dbPath: String, settings: SearchSettings) -> BackendFactory {
    { () throws(SearchFailure) -> any SearchBackend in try Searcher(path: dbPath, settings: settings) }
}
