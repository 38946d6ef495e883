import Foundation

/// The identity of an index's version file (glass's `iamglass`) on disk. quarry-index commits by renaming
/// a new version file into place, and replacing or rebuilding the index makes a new one too, so an
/// unchanged stamp means nothing changed: one stat(2) tells a reader whether there is anything to reopen.
/// A stub database is stamped by its stub file instead, which names the databases to open.
struct IndexVersionStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var changeTimeNanoseconds: Int64
    var size: Int64

    /// The stamp of the index at `path`, or nil when it has no version file (removed, or not a glass index).
    init?(indexPath path: String) {
        self.init(file: path + "/iamglass")
    }

    /// The stamp of what a Searcher opens at `path`: its stub file (`IndexFiles.stubFile`), else its version file.
    init?(following path: String) {
        self.init(file: IndexFiles.stubFile(at: path) ?? path + "/iamglass")
    }

    /// The stamp of one file, or nil when it is not there.
    init?(file path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
        #if canImport(Darwin)
        let time = info.st_ctimespec
        #else
        let time = info.st_ctim
        #endif
        changeTimeNanoseconds = Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        size = Int64(info.st_size)
    }
}
