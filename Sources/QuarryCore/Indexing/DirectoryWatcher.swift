import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes `quarry-index --watch` when something changes under the watched folders (Linux inotify).
/// Events only say "look again": the rescan itself decides what changed, by size and mtime, so a missed
/// or coalesced event costs at most one polling interval.
public final class DirectoryWatcher {
    private let descriptor: Int32
    private var watched = Set<String>()
    /// Ends a wait early from any thread (a stop signal), so `--watch` stops at once, not after its interval.
    public let wakeup = Wakeup()

    /// A pipe another thread writes a byte to (Glibc's module map has no eventfd).
    public final class Wakeup: Sendable {
        private let reader: Int32
        private let writer: Int32

        init() {
            var ends: [Int32] = [-1, -1]
            if pipe(&ends) == 0 {
                for end in ends {
                    _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                }
            }
            (reader, writer) = (ends[0], ends[1])
        }

        deinit {
            for end in [reader, writer] where end >= 0 { close(end) }
        }

        var descriptor: Int32 { reader }

        public func wake() {
            var byte: UInt8 = 1
            _ = write(writer, &byte, 1)
        }

        /// True if woken since the last look; clears it.
        func take() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 64)
            var woken = false
            while read(reader, &buffer, buffer.count) > 0 { woken = true }
            return woken
        }
    }

    public init() {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public var isAvailable: Bool { descriptor >= 0 }

    /// Watches `directories` (adding a watch twice is harmless).
    public func watch(_ directories: some Sequence<String>) {
        guard descriptor >= 0 else { return }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF)
        for directory in directories where !watched.contains(directory) {
            if inotify_add_watch(descriptor, directory, mask) >= 0 { watched.insert(directory) }
        }
    }

    /// Watches every folder under `roots` (a root that is a file: its folder).
    public func watchTrees(_ roots: [URL]) {
        var directories: [String] = []
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                directories.append(root.deletingLastPathComponent().path)
                continue
            }
            directories.append(root.path)
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
            while let url = enumerator?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                    directories.append(url.path)
                }
            }
        }
        watch(directories)
    }

    /// Blocks until a change is seen, `timeout` seconds pass or `wakeup` is woken; returns true for a change.
    /// After a change it waits `settle` seconds more and drains what else came, so a burst of files becomes one
    /// rescan.
    public func waitForChange(timeout: Double, settle: Double = 0.2) -> Bool {
        var entries = [pollfd(fd: wakeup.descriptor, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        // Without inotify, only the wake-up and the timeout end the wait.
        let count = nfds_t(descriptor >= 0 ? 2 : 1)
        guard Glibc.poll(&entries, count, Int32(timeout * 1000)) > 0 else { return false }
        if wakeup.take() { return false }
        sleepSeconds(settle)
        drain()
        return true
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while read(descriptor, &buffer, buffer.count) > 0 {}
        // A deleted folder's watch is gone: forget it so a re-created folder is watched again.
        watched.removeAll()
    }

    private func sleepSeconds(_ seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        nanosleep(&request, nil)
    }
}
