import Foundation
import Xapian

/// Facts about an index's files on disk, and syncing them.
enum IndexFiles {
    /// True when `path` is something other than a folder (an index is a folder; a stub database is a file).
    static func isFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
    }

    /// The file that says what to open at `path` when it is not an index folder: `path` itself when it is a file
    /// (a stub database listing shards, or a single-file database), or a replica folder's `XAPIANDB`, the stub
    /// file by which xapian-replicate names its live copy (`replica_0` or `replica_1`). nil for an index folder.
    static func stubFile(at path: String) -> String? {
        isFile(path) ? path : StubDatabase.file(at: path)
    }

    /// When the index last changed: the newest modification time among its files, ISO 8601.
    static func lastModified(_ path: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        let dates = names.compactMap {
            (try? FileManager.default.attributesOfItem(atPath: path + "/" + $0))?[.modificationDate] as? Date
        }
        return dates.max().map { ISO8601DateFormatter().string(from: $0) }
    }

    /// Bytes used by the files of a directory tree (an index's size on disk).
    static func bytes(at path: String) -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total = 0
        while let name = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? Int) ?? 0
            }
        }
        return total
    }

    /// Bytes an unprivileged writer may still use on the filesystem holding `path` (nil when it cannot be told).
    static func freeBytes(at path: String) -> Int? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// fsyncs every file of the index and its folder. A database created without fsync is synced so at the end of
    /// each run, so a run that returned is as durable as one committed with Xapian's own syncs.
    static func sync(_ path: String) throws(XapianError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names.sorted() + ["."] {
            try sync(entry: path + "/" + name, missingIsFine: true)
        }
    }

    /// fsyncs one file or folder (a folder: the names in it). With `missingIsFine`, one that cannot be opened
    /// (gone, such as a temporary file, or not readable: nothing of ours) is passed over.
    static func sync(entry path: String, missingIsFine: Bool = false) throws(XapianError) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY)
        guard fd >= 0 else {
            if missingIsFine { return }
            throw XapianError(kind: .database, message: "open \(path): \(String(cString: strerror(errno)))")
        }
        let synced = fsync(fd) == 0
        let code = errno
        close(fd)
        guard synced else {
            throw XapianError(kind: .database, message: "fsync \(path): \(String(cString: strerror(code)))")
        }
    }
}
