import Foundation
import QuarryClient
import QuarryTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `quarryd` child process listening on its own socket. What it prints goes to a log file in the temporary
/// directory (removed with this object), so a failing test can show it.
final class Daemon: @unchecked Sendable {
    let process: Process
    let socketPath: String
    let logPath: String
    /// Kept open for the child's lifetime (it writes through its own copy of the descriptor).
    private let logHandle: FileHandle

    var pid: pid_t { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private init(process: Process, socketPath: String, logPath: String, logHandle: FileHandle) {
        self.process = process
        self.socketPath = socketPath
        self.logPath = logPath
        self.logHandle = logHandle
    }

    deinit {
        if !process.isRunning { try? FileManager.default.removeItem(atPath: logPath) }
    }

    /// Starts `quarryd --db DB --socket SOCKET --workers N`, with no QUARRY_* variable inherited from the
    /// environment running the tests (they would change what is being tested).
    static func launch(db: String, socket: String, workers: Int = 2, arguments: [String] = [],
                       environment: [String: String] = [:]) throws -> Daemon {
        try start(["--db", db, "--socket", socket, "--workers", String(workers)] + arguments,
                  socket: socket, environment: environment)
    }

    /// Starts quarryd with exactly these arguments; `socket` is where the test expects it to listen.
    static func start(_ arguments: [String], socket: String, environment: [String: String] = [:]) throws -> Daemon {
        // Not beside the socket: its directory may not exist yet (quarryd creates it).
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("quarryd-test-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = Executables.url("quarryd")
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUARRY_") }
        inherited.merge(environment) { $1 }
        process.environment = inherited
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        LiveChildren.add(process.processIdentifier)
        return Daemon(process: process, socketPath: socket, logPath: logPath, logHandle: logHandle)
    }

    /// Polls `GET /health` until it answers `status` (200, or 503 for a daemon started without its index).
    /// Fails at once if the process exits first.
    func waitUntilHealthy(timeout: Double = 30, status: Int = 200) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else {
                throw DaemonFailure("quarryd exited (\(process.terminationStatus)) before answering /health; log:\n\(log)")
            }
            if let client = try? await Client.connect(socketPath, timeout: 5) {
                let result = try? await client.send(.GET, "/health")
                await client.close()
                if result?.status == status { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonFailure("quarryd did not answer /health with \(status) within \(timeout) s; log:\n\(log)")
    }

    struct Exit: Equatable, CustomStringConvertible {
        var signalled: Bool
        var status: Int32
        /// Exited by itself (not by a signal), with status 0.
        var isClean: Bool { !signalled && status == 0 }
        var description: String { signalled ? "killed by signal \(status)" : "exit status \(status)" }
    }

    /// Waits (without being cancellable) for the process to end by itself; nil if it is still running after `seconds`.
    func waitForExit(seconds: Double) async -> Exit? {
        let process = self.process
        let exited = await offload { () -> Bool in
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            return !process.isRunning
        }
        guard exited else { return nil }
        LiveChildren.remove(pid)
        return Exit(signalled: process.terminationReason == .uncaughtSignal, status: process.terminationStatus)
    }

    /// SIGTERM, up to `grace` seconds for a graceful exit, then SIGKILL. Always leaves the process reaped.
    @discardableResult
    func stop(grace: Double = 20) async -> Exit {
        if process.isRunning { kill(pid, SIGTERM) }
        if let exit = await waitForExit(seconds: grace) { return exit }
        kill(pid, SIGKILL)
        if let exit = await waitForExit(seconds: 30) { return exit }
        return Exit(signalled: true, status: SIGKILL)
    }

    /// SIGKILL, as a crash would: no cleanup, the socket file stays behind.
    @discardableResult
    func crash() async -> Exit {
        if process.isRunning { kill(pid, SIGKILL) }
        return await waitForExit(seconds: 30) ?? Exit(signalled: true, status: SIGKILL)
    }
}

struct DaemonFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against a freshly started quarryd (on the shared sample index unless `db` says otherwise) and
/// always stops it afterwards, whatever `body` did. Checks that SIGTERM made it exit 0 and remove its socket.
func withDaemon<T>(
    db: String? = nil, socket: String? = nil, workers: Int = 2, environment: [String: String] = [:],
    healthStatus: Int = 200, healthTimeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (Daemon) async throws -> T
) async throws -> T {
    let directory = try ShortTempDirectory()
    defer { directory.remove() }
    let socket = socket ?? directory.file("q.sock")
    let database: String
    if let db { database = db } else { database = try await SharedIndex.prepare() }
    let daemon = try Daemon.launch(db: database, socket: socket, workers: workers, environment: environment)
    return try await supervise(daemon, healthStatus: healthStatus, healthTimeout: healthTimeout,
                               sourceLocation: sourceLocation, body)
}

/// Waits until `daemon` is healthy, runs `body`, then always stops it and checks it exited 0 and removed its socket.
func supervise<T>(
    _ daemon: Daemon, healthStatus: Int = 200, healthTimeout: Double = 30,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: (Daemon) async throws -> T
) async throws -> T {
    let socket = daemon.socketPath
    let outcome: Result<T, any Error>
    do {
        try await daemon.waitUntilHealthy(timeout: healthTimeout, status: healthStatus)
        outcome = .success(try await body(daemon))
    } catch {
        outcome = .failure(error)
    }
    let exit = await daemon.stop()
    #expect(exit.isClean, "quarryd after SIGTERM: \(exit); log:\n\(daemon.log)", sourceLocation: sourceLocation)
    #expect(!pathExists(socket), "quarryd left its socket \(socket) behind", sourceLocation: sourceLocation)
    return try outcome.get()
}

/// The daemons this test process started and has not reaped yet: killed at exit, so a test process that
/// ends early (a failed #require, a crash in a test) does not leave quarryd running.
enum LiveChildren {
    private static let pids = Mutex<Set<pid_t>>([])
    private static let registered = Mutex(false)

    static func add(_ pid: pid_t) {
        let first = registered.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { atexit { LiveChildren.killAll() } }
        pids.withLock { _ = $0.insert(pid) }
    }

    static func remove(_ pid: pid_t) {
        pids.withLock { _ = $0.remove(pid) }
    }

    static func killAll() {
        for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
    }
}

/// Runs blocking work (a child process, a file scan) on a thread outside Swift's small cooperative pool.
func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

func offloadThrowing<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

/// Runs one of the built command-line tools off the cooperative pool, with `extra` added to its environment.
func runTool(_ name: String, _ arguments: [String], environment extra: [String: String] = [:]) async throws
    -> Executables.Output
{
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUARRY_") }
    environment["TERM"] = "dumb"
    environment.merge(extra) { $1 }
    let cleaned = environment
    return try await offloadThrowing { try Executables.run(name, arguments, environment: cleaned) }
}

/// The samples, indexed once per test process by the real quarry-index into a temporary directory
/// (removed when the process exits). Read-only: tests that change an index build their own.
enum SharedIndex {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static let built: Result<String, Failure> = {
        do {
            let directory = try ShortTempDirectory(prefix: "qdi")
            atexit { SharedIndex.removeDirectory() }
            let db = directory.file("db")
            let output = try Executables.run(
                "quarry-index", [RepositoryPaths.samples.path, "--db", db, "--quiet", "--json"],
                environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("QUARRY_") })
            guard output.status == 0 else {
                return .failure(Failure(description: "quarry-index failed (\(output.status)): \(output.stderr)"))
            }
            return .success(db)
        } catch {
            return .failure(Failure(description: "cannot build the shared index: \(error)"))
        }
    }()

    /// Builds the index on first use (blocking, off the cooperative pool), then returns its path.
    static func databasePath() throws -> String {
        try built.get()
    }

    static func prepare() async throws -> String {
        try await offloadThrowing { try databasePath() }
    }

    private static func removeDirectory() {
        if case .success(let db) = built {
            try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent)
        }
    }
}
