#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the few POSIX calls the socket setup needs.
enum POSIX {
    static var errnoDescription: String { describe(errno) }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// lstat: what is at `path`, without following symlinks. Nil when nothing is there (or on error: see errno).
    static func lstatus(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// stat: like `lstatus` but follows symlinks.
    static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// Names the calling thread for top, ps and perf (Linux keeps 15 bytes). Foundation's `Thread.name` does not
    /// reach the kernel on Linux, and Swift's Glibc module does not export pthread_setname_np: found by name.
    static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else { return }
        let bytes = name.utf8.prefix(15).map { CChar(bitPattern: $0) } + [0]
        _ = bytes.withUnsafeBufferPointer { unsafeBitCast(symbol, to: SetName.self)(pthread_self(), $0.baseAddress!) }
        #endif
    }

    static func isSocket(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFSOCK }
    static func isDirectory(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }

    /// A stream socket address for `path`; nil if the path does not fit `sun_path`.
    static func unixAddress(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        return address
    }

    /// A non-blocking Unix stream socket: connect() never waits on a live server's full backlog (EAGAIN).
    static func nonBlockingStreamSocket() -> Int32 {
        #if os(Linux)
        return socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        if fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        return fd
        #endif
    }

    /// connect(2) to a Unix socket path: 0 on success, else the errno.
    static func connectUnix(fd: Int32, path: String) -> Int32 {
        guard var address = unixAddress(path) else { return ENAMETOOLONG }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0 ? 0 : errno
    }

    /// The gid of a group name, via the reentrant getgrnam_r.
    static func groupID(named name: String) -> gid_t? {
        var group = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let status = getgrnam_r(name, &group, &buffer, buffer.count, &result)
        guard status == 0, result != nil else { return nil }
        return group.gr_gid
    }
}
