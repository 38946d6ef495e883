import Foundation
import Configuration
import Logging
import QuarryCore
import QuarryServer

/// quarryd's settings, merged by swift-configuration from, highest precedence first:
///
/// 1. command-line flags (`--db`, `--socket`, `--workers`, `--log-level`);
/// 2. environment variables: `QUARRY_` + the key in upper case (`QUARRY_DB`, `QUARRY_SOCKET`,
///    `QUARRY_MAX_BODY_BYTES`, ...);
/// 3. the YAML file given by `--config FILE` (or `QUARRY_CONFIG`); no file is loaded implicitly;
/// 4. the defaults below (and in `ServerConfiguration`).
///
/// Keys are flat snake_case names, the same in YAML and (upper-cased, prefixed) in the environment.
struct DaemonSettings {
    var databasePath: String
    var logLevel: Logger.Level
    var server: ServerConfiguration
    var search: SearchSettings
    /// Where each value came from is not tracked; this is the file that was read, for the startup log.
    var configFile: String?

    enum Key: String, CaseIterable {
        case db
        case socket
        case socketMode = "socket_mode"
        case socketGroup = "socket_group"
        case workers
        case workerSpinMicroseconds = "worker_spin_microseconds"
        case logLevel = "log_level"
        case maxBodyBytes = "max_body_bytes"
        case maxConnections = "max_connections"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case requestTimeoutSeconds = "request_timeout_seconds"
        case maxHeaderBytes = "max_header_bytes"
        case maxLimit = "max_limit"
        case queryMaxBytes = "query_max_bytes"
        case queryMaxWildcards = "query_max_wildcards"
        case shutdownTimeoutSeconds = "shutdown_timeout_seconds"
        case bm25K1 = "bm25_k1"
        case bm25B = "bm25_b"
        case bm25MinNormlen = "bm25_min_normlen"
        case bm25PlusDelta = "bm25_plus_delta"
        case queryStopwords = "query_stopwords"
        case lowercaseQuery = "lowercase_query"
        case queryTimeLimitSeconds = "query_time_limit_seconds"
        case maxWildcardExpansion = "max_wildcard_expansion"
        case snippetLength = "snippet_length"
        case snippetBackgroundModel = "snippet_background_model"
        case snippetExhaustive = "snippet_exhaustive"
        case recencyWeight = "recency_weight"
        case proximityWeight = "proximity_weight"
        case proximityWindow = "proximity_window"
        case feedbackDefault = "feedback_default"
        case feedbackWeight = "feedback_weight"
        case spellingSuggestions = "spelling_suggestions"
        case reopenIntervalSeconds = "reopen_interval_seconds"
        case remoteTimeoutSeconds = "remote_timeout_seconds"
        case remoteConnectTimeoutSeconds = "remote_connect_timeout_seconds"
        case remoteRetrySeconds = "remote_retry_seconds"
        case spellingDB = "spelling_db"

        var environmentVariable: String { "QUARRY_" + rawValue.uppercased() }
    }

    static let configFileVariable = "QUARRY_CONFIG"

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameters:
    ///   - flags: values given on the command line, by key.
    ///   - configFile: `--config`; when nil, `QUARRY_CONFIG` from `environment` is used if set.
    static func load(
        flags: [Key: String],
        configFile: String?,
        environment: [String: String]
    ) async throws -> DaemonSettings {
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            flagValues[AbsoluteConfigKey([key.rawValue])] = ConfigValue(.string(value), isSecret: false)
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: flagValues),
            // Key "db" is looked up as "quarry.db", which the provider spells QUARRY_DB.
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "quarry"),
        ]
        let file = configFile ?? environment[configFileVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let file {
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: .init(file)))
            } catch {
                throw Invalid(description: "cannot read config file \(file): \(error)")
            }
        }
        var settings = try DaemonSettings(reader: ConfigReader(providers: providers))
        settings.configFile = file
        return settings
    }

    init(reader: ConfigReader) throws {
        func string(_ key: Key) -> String? {
            reader.string(forKey: ConfigKey([key.rawValue])).flatMap { $0.isEmpty ? nil : $0 }
        }
        func invalid(_ key: Key, _ value: String, _ expectation: String) -> Invalid {
            Invalid(description: "invalid \(key.rawValue) '\(value)': \(expectation) "
                + "(set by a flag, \(key.environmentVariable), or \(key.rawValue): in the config file)")
        }
        func integer(_ key: Key, default fallback: Int, minimum: Int) throws -> Int {
            guard let text = string(key) else { return fallback }
            guard let value = Int(text), value >= minimum else {
                throw invalid(key, text, "expected an integer ≥ \(minimum)")
            }
            return value
        }

        func number(_ key: Key, default fallback: Double, minimum: Double) throws -> Double {
            guard let text = string(key) else { return fallback }
            guard let value = Double(text), value >= minimum, value.isFinite else {
                throw invalid(key, text, "expected a number ≥ \(minimum)")
            }
            return value
        }
        func flag(_ key: Key, default fallback: Bool) throws -> Bool {
            guard let text = string(key) else { return fallback }
            switch text.lowercased() {
            case "true", "yes", "1", "on": return true
            case "false", "no", "0", "off": return false
            default: throw invalid(key, text, "expected true or false")
            }
        }

        guard let db = string(.db) else {
            throw Invalid(description: "no index directory: pass --db DIR, set QUARRY_DB, or set db: in the config file")
        }
        self.databasePath = db

        let levelText = string(.logLevel) ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw invalid(.logLevel, levelText, "expected trace, debug, info, notice, warning, error or critical")
        }
        self.logLevel = level

        var server = ServerConfiguration()
        if let socket = string(.socket) { server.socketPath = socket }
        if let text = string(.socketMode) {
            guard let mode = ServerConfiguration.parseSocketMode(text) else {
                throw invalid(.socketMode, text, "expected an octal mode such as \"0600\" or \"0660\"")
            }
            server.socketMode = mode
        }
        server.socketGroup = string(.socketGroup).flatMap(SocketGroup.init)
        server.workers = try integer(.workers, default: 0, minimum: 0)
        server.workerSpinMicroseconds = try integer(
            .workerSpinMicroseconds, default: ServerConfiguration.defaultWorkerSpinMicroseconds, minimum: 0)
        server.maxBodyBytes = try integer(.maxBodyBytes, default: ServerConfiguration.defaultMaxBodyBytes, minimum: 1)
        server.maxConnections = try integer(.maxConnections, default: ServerConfiguration.defaultMaxConnections, minimum: 1)
        server.idleTimeoutSeconds = try integer(.idleTimeoutSeconds, default: ServerConfiguration.defaultIdleTimeoutSeconds, minimum: 1)
        server.requestTimeoutSeconds = try integer(
            .requestTimeoutSeconds, default: ServerConfiguration.defaultRequestTimeoutSeconds, minimum: 1)
        server.maxHeaderBytes = try integer(
            .maxHeaderBytes, default: ServerConfiguration.defaultMaxHeaderBytes,
            minimum: ServerConfiguration.minimumMaxHeaderBytes)
        server.maxLimit = try integer(.maxLimit, default: ServerConfiguration.defaultMaxLimit, minimum: 0)
        server.queryMaxBytes = try integer(.queryMaxBytes, default: ServerConfiguration.defaultQueryMaxBytes, minimum: 1)
        server.queryMaxWildcards = try integer(
            .queryMaxWildcards, default: ServerConfiguration.defaultQueryMaxWildcards, minimum: 0)
        server.shutdownTimeoutSeconds = try integer(
            .shutdownTimeoutSeconds, default: ServerConfiguration.defaultShutdownTimeoutSeconds, minimum: 0)
        self.server = server

        let defaults = SearchSettings()
        var search = defaults
        search.k1 = try number(.bm25K1, default: defaults.k1, minimum: 0)
        search.b = try number(.bm25B, default: defaults.b, minimum: 0)
        guard search.b <= 1 else { throw invalid(.bm25B, String(search.b), "expected a number from 0 to 1") }
        search.minNormalisedLength = try number(.bm25MinNormlen, default: defaults.minNormalisedLength, minimum: 0)
        search.bm25PlusDelta = try number(.bm25PlusDelta, default: defaults.bm25PlusDelta, minimum: 0)
        if let text = string(.queryStopwords) {
            guard let list = QueryStopwords(name: text) else {
                throw invalid(.queryStopwords, text, "expected "
                    + QueryStopwords.allCases.map(\.rawValue).joined(separator: ", "))
            }
            search.stopwords = list
        }
        search.lowercaseQuery = try flag(.lowercaseQuery, default: defaults.lowercaseQuery)
        search.timeLimit = try number(.queryTimeLimitSeconds, default: defaults.timeLimit, minimum: 0)
        search.maxWildcardExpansion = try integer(.maxWildcardExpansion, default: defaults.maxWildcardExpansion, minimum: 1)
        search.snippetLength = try integer(.snippetLength, default: defaults.snippetLength, minimum: 1)
        search.snippetBackgroundModel = try flag(.snippetBackgroundModel, default: defaults.snippetBackgroundModel)
        search.snippetExhaustive = try flag(.snippetExhaustive, default: defaults.snippetExhaustive)
        search.recencyWeight = try number(.recencyWeight, default: defaults.recencyWeight, minimum: 0)
        search.proximityWeight = try number(.proximityWeight, default: defaults.proximityWeight, minimum: 0)
        search.proximityWindow = try integer(.proximityWindow, default: defaults.proximityWindow, minimum: 2)
        search.feedbackByDefault = try flag(.feedbackDefault, default: defaults.feedbackByDefault)
        search.feedbackWeight = try number(.feedbackWeight, default: defaults.feedbackWeight, minimum: 0)
        search.spellingSuggestions = try flag(.spellingSuggestions, default: defaults.spellingSuggestions)
        search.reopenInterval = try number(.reopenIntervalSeconds, default: defaults.reopenInterval, minimum: 0)
        search.remoteTimeouts.operation = try number(
            .remoteTimeoutSeconds, default: defaults.remoteTimeouts.operation, minimum: 0)
        search.remoteTimeouts.connect = try number(
            .remoteConnectTimeoutSeconds, default: defaults.remoteTimeouts.connect, minimum: 0)
        search.remoteRetryInterval = try number(.remoteRetrySeconds, default: defaults.remoteRetryInterval, minimum: 0)
        if let spelling = string(.spellingDB) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: spelling, isDirectory: &isFolder), isFolder.boolValue else {
                throw invalid(.spellingDB, spelling, "expected the folder of a Quarry index")
            }
            search.spellingIndex = spelling
        }
        self.search = search
        self.configFile = nil
    }
}
