import Foundation
import QuarryTestSupport

/// A small tmpfs mounted for one test, to fill up on purpose. Mounting needs root (CAP_SYS_ADMIN).
struct TmpfsMount {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let path: String

    /// Mounts a tmpfs of `bytes` on a fresh directory.
    static func mount(bytes: Int) throws -> TmpfsMount {
        let directory = try ShortTempDirectory(prefix: "quarry-tmpfs")
        let output = try Executables.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs",
                                                          directory.path])
        guard output.status == 0 else {
            directory.remove()
            throw Failure(description: "mount -t tmpfs failed: \(output.stderr)")
        }
        return TmpfsMount(path: directory.path)
    }

    /// Grows (or shrinks) the mounted filesystem in place.
    func resize(bytes: Int) throws {
        let output = try Executables.run("/usr/bin/env", ["mount", "-o", "remount,size=\(bytes)", path])
        guard output.status == 0 else {
            throw Failure(description: "remount failed: \(output.stderr)")
        }
    }

    func unmount() {
        _ = try? Executables.run("/usr/bin/env", ["umount", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Whether this process may mount a tmpfs: tried once, with a tiny one.
    static let isPermitted: Bool = {
        guard geteuid() == 0, let probe = try? mount(bytes: 64 * 1024) else { return false }
        probe.unmount()
        return true
    }()
}
