import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built command-line tools, next to the test bundle in the build folder.
public enum Executables {
    public static let binDirectory: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var directory = bundle.deletingLastPathComponent()
        // swift-testing runs the .xctest bundle directly; XCTest may run it from inside the bundle.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("quarry-index").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    public static func url(_ name: String) -> URL { binDirectory.appendingPathComponent(name) }

    /// Starts `quarry-index ROOT --db DB --watch --interval 0.5 --quiet` in the background, output discarded.
    /// The caller stops it (SIGTERM commits and exits; SIGKILL for crash tests).
    public static func startWatcher(root: String, database: String) throws -> Process {
        let watcher = Process()
        watcher.executableURL = url("quarry-index")
        watcher.arguments = [root, "--db", database, "--watch", "--interval", "0.5", "--quiet"]
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try watcher.run()
        return watcher
    }

    /// A Xapian command-line tool (xapian-check, xapian-delve, quest) from xapian-tools, or nil when it is
    /// not installed (scripts/setup installs it).
    public static func xapianTool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The child's peak resident memory in bytes: its VmHWM, read from /proc every few milliseconds while it
        /// runs (growth in its last milliseconds may be missed). Not wait4's ru_maxrss: posix_spawn starts the
        /// child in this process's memory, so that figure includes the test process's own peak.
        public var peakMemoryBytes: Int
    }

    public struct LaunchFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does not export; without
    /// it (an older libc), each descriptor open now is closed one by one.
    private static func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, lowest)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor >= lowest {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// Runs a tool to completion and captures what it printed. `status` is the exit status, or the signal
    /// number when a signal ended it. The child is started and reaped here (posix_spawn, waitpid) rather than
    /// through Foundation's Process, so that its memory can be watched until the moment it exits.
    public static func run(_ name: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let path = name.hasPrefix("/") ? name : url(name).path
        // Both outputs go to files: two pipes read one after the other could deadlock a chatty tool.
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-run-\(UUID().uuidString)").path
        let outPath = stem + ".out", errorPath = stem + ".err"
        defer {
            unlink(outPath)
            unlink(errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else is inherited: a descriptor another test holds open without close-on-exec (Xapian's
        // write-lock socket, for one) would otherwise live as long as this child and hold that lock.
        closeFrom(3, in: &actions)

        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw LaunchFailure(description: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var peak = 0
        while true {
            // Read before checking for the exit: once reaped, the figure is gone.
            peak = max(peak, ProcessMemory.kibibytes("VmHWM", of: pid) * 1024)
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            guard reaped == 0 || errno == EINTR else {
                throw LaunchFailure(description: "waitpid \(path): \(String(cString: strerror(errno)))")
            }
            usleep(5_000)
        }
        let signal = status & 0x7F
        func read(_ file: String) -> String {
            String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
        }
        return Output(status: signal == 0 ? (status >> 8) & 0xFF : signal, stdout: read(outPath), stderr: read(errorPath),
                      peakMemoryBytes: peak)
    }
}
