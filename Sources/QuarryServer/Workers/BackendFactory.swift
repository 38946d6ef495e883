import QuarryAPI

/// Makes one engine handle. Called lazily on each worker thread, and again after a failure, so a daemon
/// started before its index exists recovers once the index appears.
public typealias BackendFactory = @Sendable () throws(SearchFailure) -> any SearchBackend
