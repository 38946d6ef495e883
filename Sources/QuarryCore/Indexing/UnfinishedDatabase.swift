import Foundation

/// A database folder left by a writer killed while creating it, before its first version file existed:
/// Xapian leaves its lock file, some empty tables and `v.tmp`, and then refuses both to open and to create
/// a database there. Such a folder holds no commit, so nothing can be lost by clearing it; it is recognised
/// strictly (no `iamglass`, only glass's own file names, nobody holding the lock) and only those files go.
enum UnfinishedDatabase {
    private static let ownFiles: Set<String> = ["flintlock", "v.tmp"]

    /// True when `path` is such a folder.
    static func isUnfinished(at path: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path), !names.isEmpty,
              !names.contains("iamglass"),
              names.allSatisfy({ ownFiles.contains($0) || $0.hasSuffix(".glass") })
        else { return false }
        return !isLocked(path + "/flintlock")
    }

    /// Removes the unfinished database's files (and nothing else).
    static func clear(at path: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            try FileManager.default.removeItem(atPath: path + "/" + name)
        }
    }

    /// Whether a live writer holds Xapian's lock (an fcntl lock on `flintlock`; F_GETLK also sees OFD locks).
    private static func isLocked(_ lockFile: String) -> Bool {
        let fd = open(lockFile, O_RDWR)
        guard fd >= 0 else { return false }  // no lock file: nobody can hold it
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return true }  // can't tell: leave it alone
        return lock.l_type != Int16(F_UNLCK)
    }
}
