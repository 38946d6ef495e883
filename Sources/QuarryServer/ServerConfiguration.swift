#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import QuarryAPI

/// Everything the server needs to know, already parsed and validated. quarryd builds it from flags,
/// environment and YAML; tests build it directly. Every default here is the documented default.
public struct ServerConfiguration: Sendable, Equatable {
    /// The Unix domain socket to listen on. At most 107 bytes (the kernel's `sun_path` limit).
    public var socketPath: String
    /// Permission bits applied to the socket file after bind (`chmod`). Default 0600: owner only.
    public var socketMode: UInt32
    /// Group applied to the socket file after bind (`chown`); nil leaves the creator's group.
    public var socketGroup: SocketGroup?
    /// Threads running engine calls; 0 means one per core.
    public var workers: Int
    /// How long an idle worker polls for its next request before it sleeps (0: sleep at once).
    public var workerSpinMicroseconds: Int
    /// Largest accepted request body; larger bodies get 413 and the connection is closed.
    public var maxBodyBytes: Int
    /// Open connections beyond this many are closed as soon as they are accepted.
    public var maxConnections: Int
    /// A connection with no traffic (and no request in flight) for this long is closed.
    public var idleTimeoutSeconds: Int
    /// A request whose head and body have not all arrived this long after its first bytes gets 408 and the
    /// connection is closed (a client trickling bytes defeats the idle timeout, not this).
    public var requestTimeoutSeconds: Int
    /// Largest request line plus headers, in bytes; larger gets 431 and the connection is closed.
    public var maxHeaderBytes: Int
    /// Largest `limit` a search or similar request may ask for.
    public var maxLimit: Int
    /// Longest `q` accepted, in UTF-8 bytes.
    public var queryMaxBytes: Int
    /// Most wildcards (`word*`) one `q` may hold.
    public var queryMaxWildcards: Int
    /// How long a graceful shutdown waits for in-flight requests before closing connections anyway.
    public var shutdownTimeoutSeconds: Int

    public static let defaultSocketMode: UInt32 = 0o600
    public static let defaultMaxBodyBytes = 1_048_576
    public static let defaultMaxConnections = 256
    public static let defaultIdleTimeoutSeconds = 60
    public static let defaultRequestTimeoutSeconds = 10
    /// swift-nio's own default (`NIOHTTPDecoderLimitConfiguration`): 80 KiB.
    public static let defaultMaxHeaderBytes = 81_920
    /// Below this, ordinary requests (a long query, a few headers) would not fit.
    public static let minimumMaxHeaderBytes = 1024
    public static let defaultMaxLimit = SearchLimits.defaultMaxLimit
    public static let defaultQueryMaxBytes = SearchLimits.defaultQueryMaxBytes
    public static let defaultQueryMaxWildcards = SearchLimits.defaultQueryMaxWildcards
    public static let defaultShutdownTimeoutSeconds = 5
    public static let defaultWorkerSpinMicroseconds = 250

    public init(
        socketPath: String = ServerConfiguration.defaultSocketPath(),
        socketMode: UInt32 = ServerConfiguration.defaultSocketMode,
        socketGroup: SocketGroup? = nil,
        workers: Int = 0,
        workerSpinMicroseconds: Int = ServerConfiguration.defaultWorkerSpinMicroseconds,
        maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes,
        maxConnections: Int = ServerConfiguration.defaultMaxConnections,
        idleTimeoutSeconds: Int = ServerConfiguration.defaultIdleTimeoutSeconds,
        requestTimeoutSeconds: Int = ServerConfiguration.defaultRequestTimeoutSeconds,
        maxHeaderBytes: Int = ServerConfiguration.defaultMaxHeaderBytes,
        maxLimit: Int = ServerConfiguration.defaultMaxLimit,
        queryMaxBytes: Int = ServerConfiguration.defaultQueryMaxBytes,
        queryMaxWildcards: Int = ServerConfiguration.defaultQueryMaxWildcards,
        shutdownTimeoutSeconds: Int = ServerConfiguration.defaultShutdownTimeoutSeconds
    ) {
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.socketGroup = socketGroup
        self.workers = workers
        self.workerSpinMicroseconds = workerSpinMicroseconds
        self.maxBodyBytes = maxBodyBytes
        self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.maxHeaderBytes = maxHeaderBytes
        self.maxLimit = maxLimit
        self.queryMaxBytes = queryMaxBytes
        self.queryMaxWildcards = queryMaxWildcards
        self.shutdownTimeoutSeconds = shutdownTimeoutSeconds
    }

    /// The number of worker threads actually started.
    public var resolvedWorkerCount: Int { workers > 0 ? workers : System.coreCount }

    /// `$XDG_RUNTIME_DIR/quarry/quarry.sock` when XDG_RUNTIME_DIR is set (systemd user sessions),
    /// else `/tmp/quarry-$UID/quarry.sock`: the same place the `quarry` client looks (`DefaultPaths`).
    /// The parent directory is created 0700 at startup.
    public static func defaultSocketPath(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        DefaultPaths.socket(environment: environment)
    }

    /// Parses an octal permission string such as "0660" or "660". Nil if it is not octal or exceeds 0777.
    public static func parseSocketMode(_ text: String) -> UInt32? {
        let digits = text.hasPrefix("0o") ? text.dropFirst(2) : Substring(text)
        guard !digits.isEmpty, digits.count <= 4, let mode = UInt32(digits, radix: 8), mode <= 0o777 else {
            return nil
        }
        return mode
    }

    /// Checks the invariants the server relies on; quarryd reports the message and exits non-zero.
    public func validate() throws(ServerStartupError) {
        func invalid(_ message: String) -> ServerStartupError { .invalidConfiguration(message) }
        if socketPath.isEmpty { throw invalid("socket path is empty") }
        if socketPath.utf8.count > UnixSocketBinding.maxPathBytes {
            throw .socketPathTooLong(path: socketPath, limit: UnixSocketBinding.maxPathBytes)
        }
        if socketMode > 0o777 { throw invalid("socket_mode must be an octal mode no larger than 0777") }
        if workers < 0 { throw invalid("workers must be 0 (one per core) or positive") }
        if !(0...1_000_000).contains(workerSpinMicroseconds) {
            throw invalid("worker_spin_microseconds must be between 0 and 1000000")
        }
        if maxBodyBytes < 1 { throw invalid("max_body_bytes must be positive") }
        if maxConnections < 1 { throw invalid("max_connections must be positive") }
        if idleTimeoutSeconds < 1 { throw invalid("idle_timeout_seconds must be positive") }
        if requestTimeoutSeconds < 1 { throw invalid("request_timeout_seconds must be positive") }
        if maxHeaderBytes < Self.minimumMaxHeaderBytes {
            throw invalid("max_header_bytes must be at least \(Self.minimumMaxHeaderBytes)")
        }
        if maxLimit < 0 { throw invalid("max_limit must not be negative") }
        if queryMaxBytes < 1 { throw invalid("query_max_bytes must be positive") }
        if queryMaxWildcards < 0 { throw invalid("query_max_wildcards must not be negative") }
        if shutdownTimeoutSeconds < 0 { throw invalid("shutdown_timeout_seconds must not be negative") }
    }
}

/// The group given to the socket file, by name (looked up with getgrnam) or numeric id.
public enum SocketGroup: Sendable, Equatable, CustomStringConvertible {
    case name(String)
    case id(UInt32)

    /// "quarry" → `.name("quarry")`, "1001" → `.id(1001)`; nil for an empty string.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        if let gid = UInt32(text) { self = .id(gid) } else { self = .name(text) }
    }

    public var description: String {
        switch self {
        case .name(let name): name
        case .id(let gid): String(gid)
        }
    }
}
