import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Logging
import QuarryCore
import QuarryServer
import ServiceLifecycle

@main
struct Quarryd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarryd",
        abstract: "Serve a Quarry search index over HTTP/1.1 + JSON on a Unix domain socket.",
        discussion: """
            Listens only on a Unix domain socket (never TCP). Endpoints: GET/POST /search, \
            GET /documents/{id}, GET /similar/{id}, GET /stats, GET /health, GET /metrics.

            Settings, highest precedence first: flags; environment variables QUARRY_<KEY> \
            (QUARRY_DB, QUARRY_SOCKET, QUARRY_WORKERS, QUARRY_LOG_LEVEL, QUARRY_SOCKET_MODE, \
            QUARRY_SOCKET_GROUP, QUARRY_MAX_BODY_BYTES, QUARRY_MAX_HEADER_BYTES, QUARRY_MAX_CONNECTIONS, \
            QUARRY_IDLE_TIMEOUT_SECONDS, QUARRY_REQUEST_TIMEOUT_SECONDS, \
            QUARRY_MAX_LIMIT, QUARRY_QUERY_MAX_BYTES, QUARRY_QUERY_MAX_WILDCARDS, QUARRY_SHUTDOWN_TIMEOUT_SECONDS, and the ranking keys \
            QUARRY_BM25_K1, QUARRY_BM25_B, QUARRY_LOWERCASE_QUERY, QUARRY_QUERY_TIME_LIMIT_SECONDS, \
            QUARRY_MAX_WILDCARD_EXPANSION, QUARRY_SNIPPET_LENGTH, QUARRY_SNIPPET_BACKGROUND_MODEL, QUARRY_SNIPPET_EXHAUSTIVE, QUARRY_RECENCY_WEIGHT, \
            QUARRY_SPELLING_SUGGESTIONS, QUARRY_REOPEN_INTERVAL_SECONDS, and for remote shards \
            QUARRY_REMOTE_TIMEOUT_SECONDS, QUARRY_REMOTE_CONNECT_TIMEOUT_SECONDS, QUARRY_REMOTE_RETRY_SECONDS, \
            QUARRY_SPELLING_DB); the YAML file from \
            --config or QUARRY_CONFIG (none is loaded otherwise; see config/quarry.yaml for every key); defaults.

            Default socket: $XDG_RUNTIME_DIR/quarry/quarry.sock, else /tmp/quarry-$UID/quarry.sock. \
            SIGTERM or SIGINT: stop accepting, finish in-flight requests (up to shutdown_timeout_seconds), \
            remove the socket, exit 0. Refuses to start if another quarryd answers on the socket.

            EXAMPLES:
              quarryd --db /var/lib/quarry/index
              quarryd --db ./index --socket /tmp/quarry.sock --workers 4 --log-level debug
              QUARRY_DB=./index quarryd --config config/quarry.yaml
              quarryd --db /srv/quarry/archive.stub   # shards, in a Xapian stub file
              quarryd --db /var/lib/quarry/news       # a xapian-replicate replica
              curl --unix-socket /tmp/quarry.sock 'http://quarry/search?q=gaza&limit=5'
              curl --unix-socket /tmp/quarry.sock http://quarry/search -d '{"q":"gaza"}'
            """
    )

    @Option(help: ArgumentHelp(
        "Index directory built by quarry-index, a replica folder, or a stub file listing shards. [env: QUARRY_DB]",
        valueName: "DIR"))
    var db: String?

    @Option(help: ArgumentHelp("Unix socket to listen on. [env: QUARRY_SOCKET]", valueName: "PATH"))
    var socket: String?

    @Option(help: ArgumentHelp("YAML config file (none by default). [env: QUARRY_CONFIG]", valueName: "FILE"))
    var config: String?

    @Option(help: ArgumentHelp("Worker threads for searches; 0 = one per core. [env: QUARRY_WORKERS]", valueName: "N"))
    var workers: Int?

    @Option(help: ArgumentHelp(
        "trace, debug (one line per request), info, notice, warning, error, critical. [env: QUARRY_LOG_LEVEL]",
        valueName: "LEVEL"))
    var logLevel: String?

    func run() async throws {
        // Before anything reads an index: without the shim's inflate(), Xapian misreads some compressed items.
        do {
            try XapianSafety.requireDecompressionFix(program: "quarryd")
        } catch {
            let message = Array("\(error)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            throw ExitCode(XapianSafety.exitStatus)
        }
        var flags: [DaemonSettings.Key: String] = [:]
        flags[.db] = db
        flags[.socket] = socket
        flags[.workers] = workers.map(String.init)
        flags[.logLevel] = logLevel
        let settings = try await DaemonSettings.load(
            flags: flags, configFile: config, environment: ProcessInfo.processInfo.environment)

        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "quarryd")

        let metrics = ServerMetrics()
        metrics.bootstrapMetricsSystem()

        logger.info("quarryd starting", metadata: [
            "socket": "\(settings.server.socketPath)",
            "db": "\(settings.databasePath)",
            "workers": "\(settings.server.resolvedWorkerCount)",
            "config": "\(settings.configFile ?? "none")",
        ])

        reportIndexState(dbPath: settings.databasePath, settings: settings.search, logger: logger)
        let service = QuarryServerService(
            configuration: settings.server,
            backendFactory: makeBackendFactory(dbPath: settings.databasePath, settings: settings.search),
            logger: logger,
            metrics: metrics
        )
        var group = ServiceGroupConfiguration(
            services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Past the server's own grace period, escalate to cancellation (which closes everything at once).
        group.maximumGracefulShutdownDuration = .seconds(settings.server.shutdownTimeoutSeconds + 5)
        try await ServiceGroup(configuration: group).run()
    }
}
