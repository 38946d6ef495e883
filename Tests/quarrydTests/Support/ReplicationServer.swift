import Foundation
import QuarryTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Xapian's replication on 127.0.0.1 (Debian's xapian-tools): `xapian-replicate-server` serving the databases
/// in one folder on a free port, stopped by `stop()`, and the `xapian-replicate` clients that keep a replica of
/// one of them.
final class ReplicationServer {
    struct NotStarted: Error, CustomStringConvertible {
        var description: String { "xapian-replicate-server did not start on any of 20 ports" }
    }

    static let serverExecutable = "/usr/bin/xapian-replicate-server"
    static let clientExecutable = "/usr/bin/xapian-replicate"
    static var isInstalled: Bool {
        [serverExecutable, clientExecutable].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let port: Int
    private let process: Process

    init(serving folder: String) throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let port = Int.random(in: 20_000..<60_000, using: &random)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.serverExecutable)
            process.arguments = ["--interface", "127.0.0.1", "--port", String(port), folder]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // It says nothing once bound, and exits at once when the port is taken: wait for its listening socket.
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, !Self.isListening(process.processIdentifier, port: port), Date() < deadline {
                usleep(10_000)
            }
            if process.isRunning, Self.isListening(process.processIdentifier, port: port) {
                self.port = port
                self.process = process
                return
            }
            ProcessTree.signal(SIGKILL, process)
            process.waitUntilExit()
        }
        throw NotStarted()
    }

    /// SIGKILL, to the server and to the children it forks for connections.
    func stop() {
        ProcessTree.signal(SIGKILL, process)
        process.waitUntilExit()
    }

    /// The client's options for this server and the master database `master` (a name in the served folder).
    /// `-r 1`: a pull of several changesets waits this long between them (default 30 s) for readers to move to
    /// the new revision; quarryd's workers look every 0.2 s.
    private func clientArguments(_ master: String) -> [String] {
        ["-h", "127.0.0.1", "-p", String(port), "-m", master, "-r", "1"]
    }

    /// What one `xapian-replicate --one-shot --verbose` run did.
    struct Pull {
        var status: Int32
        var output: String
        /// The full copies and the changesets it applied, from its "Update complete: N copies, M changesets" line.
        var copies: Int?
        var changesets: Int?
    }

    /// Brings `replica` up to date with `master` once.
    func pullOnce(_ master: String, into replica: String) throws -> Pull {
        let run = try Executables.run(Self.clientExecutable, clientArguments(master) + ["-o", "-v", replica])
        let counts = run.stdout.firstMatch(of: /Update complete: (\d+) copies, (\d+) changesets/)
        return Pull(status: run.status, output: run.stdout + run.stderr, copies: counts.flatMap { Int($0.1) },
                    changesets: counts.flatMap { Int($0.2) })
    }

    /// `xapian-replicate` pulling `master` into `replica` every second, as on a search machine, until the caller
    /// kills it.
    func startClient(_ master: String, into replica: String) throws -> Process {
        let client = Process()
        client.executableURL = URL(fileURLWithPath: Self.clientExecutable)
        client.arguments = clientArguments(master) + ["-i", "1", "-q", replica]
        client.standardOutput = FileHandle.nullDevice
        client.standardError = FileHandle.nullDevice
        try client.run()
        return client
    }

    /// Whether process `pid` holds a socket listening on `port` (from /proc/net/tcp: "sl local remote state …
    /// inode"; its sockets are the /proc/PID/fd links "socket:[inode]").
    private static func isListening(_ pid: pid_t, port: Int) -> Bool {
        let files = FileManager.default
        let descriptors = (try? files.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        let sockets = Set(descriptors.compactMap { try? files.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") })
        let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
        let local = String(format: ":%04X", port)
        return table.split(separator: "\n").dropFirst().contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 9 && fields[1].hasSuffix(local) && fields[3] == "0A"  // LISTEN
                && sockets.contains("socket:[\(fields[9])]")
        }
    }
}
