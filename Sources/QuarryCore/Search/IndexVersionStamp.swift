import Foundation

/// The identity of an index's version file (glass's `iamglass`) on disk. quarry-index commits by renaming
/// a new version file into place, and replacing or rebuilding the index makes a new one too, so an
/// unchanged stamp means nothing changed: one stat(2) tells a reader whether there is anything to reopen.
struct IndexVersionStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var changeTimeNanoseconds: Int64
    var size: Int64

    /// The stamp of the index at `path`, or nil when it has no version file (removed, or not a glass index).
    init?(indexPath path: String) {
        var info = stat()
        guard stat(path + "/iamglass", &info) == 0 else { return nil }
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
