import Foundation

/// A running process's memory figures from /proc/PID/status (Linux).
public enum ProcessMemory {
    /// A `Vm…` field (`VmRSS`: resident now, `VmHWM`: resident at its peak) in KiB, or 0 when it cannot be read
    /// (the process has exited, or is between fork and exec).
    public static func kibibytes(_ field: String, of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let value = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return value
    }
}
