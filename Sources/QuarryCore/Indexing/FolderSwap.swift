import Foundation

/// Putting a folder built aside in the place of another in one step, and removing folders: how a compacted
/// index and a parallel build replace the index at their path without a reader ever finding it half-written.
enum FolderSwap {
    /// Exchanges `new` and `path` in one rename (true), or, where the filesystem cannot, renames `path` to
    /// `parked` and `new` to `path` (false).
    static func swap(_ new: String, _ path: String, parked: String) throws -> Bool {
        if exchange(new, path) { return true }
        let reason = errno
        guard [EINVAL, ENOSYS, ENOTSUP, EOPNOTSUPP].contains(reason) else { throw POSIXError(errnoCode(reason)) }
        guard rename(path, parked) == 0 else { throw POSIXError(errnoCode(errno)) }
        guard rename(new, path) == 0 else {
            let failure = errno
            _ = rename(parked, path)
            throw POSIXError(errnoCode(failure))
        }
        return false
    }

    private static func errnoCode(_ value: Int32) -> POSIXErrorCode { POSIXErrorCode(rawValue: value) ?? .EIO }

    #if canImport(Darwin)
    private static func exchange(_ a: String, _ b: String) -> Bool {
        renamex_np(a, b, UInt32(RENAME_SWAP)) == 0
    }
    #else
    /// glibc's renameat2 (not in Swift's Glibc module: it needs _GNU_SOURCE), looked up once.
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }

    private static func exchange(_ a: String, _ b: String) -> Bool {
        guard let renameat2 else {
            errno = ENOSYS
            return false
        }
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }
    #endif

    /// Removes a folder and what it holds; something already gone (another run removing it too) is fine.
    static func removeTree(_ path: String) throws {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) { throw error }
        }
    }
}
