import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A test's server and the children it forks for connections (xapian-tcpsrv, xapian-replicate-server): signalled
/// together, so that no child goes on serving its connection after the server is stopped.
public enum ProcessTree {
    /// `signal` to the children of `process`, then to `process` itself, while it runs: once reaped, its pid may
    /// be another process's (and its children have another parent).
    public static func signal(_ signal: Int32, _ process: Process) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        for child in children(of: pid) { kill(child, signal) }
        kill(pid, signal)
    }

    /// Processes whose parent is `pid` (from /proc/PID/stat: "pid (name) state ppid ...").
    static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let child = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == pid ? child : nil
        }
    }
}
