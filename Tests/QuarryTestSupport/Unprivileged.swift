import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tests often run as root, where chmod 000 stops nothing. To exercise permission errors for real, a tool is
/// run as the unprivileged user `nobody` (uid and gid 65534) through util-linux's setpriv when the test is root.
public enum Unprivileged {
    public static let userID: uid_t = 65534
    public static let groupID: gid_t = 65534
    public static let setpriv = "/usr/bin/setpriv"

    /// True when the test process is root, so permissions must be dropped to be tested.
    public static var isNeeded: Bool { geteuid() == 0 }

    /// The program and arguments that run the tool `name` as `nobody` when root, or as is otherwise.
    public static func command(_ name: String, _ arguments: [String]) -> (program: String, arguments: [String]) {
        let tool = Executables.url(name).path
        guard isNeeded else { return (tool, arguments) }
        return (setpriv, ["--reuid=\(userID)", "--regid=\(groupID)", "--clear-groups", tool] + arguments)
    }

    /// Makes `path` (a folder the tool must write into, such as an index) belong to `nobody` when root.
    public static func handOver(_ path: String) throws {
        guard isNeeded else { return }
        guard chown(path, userID, groupID) == 0 else {
            throw Executables.LaunchFailure(description: "chown \(path): \(String(cString: strerror(errno)))")
        }
    }
}
