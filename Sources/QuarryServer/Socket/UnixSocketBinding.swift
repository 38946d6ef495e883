import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything around `bind(unixDomainSocketPath:)` that NIO leaves to us: the directory, what to do with
/// a file already at the path, permissions after bind, and removing our own socket (only ours) at the end.
enum UnixSocketBinding {
    /// `sun_path` holds 108 bytes including the terminating NUL.
    static let maxPathBytes = 107

    /// Identifies the socket file we created, so shutdown never unlinks a successor's socket.
    struct FileIdentity: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// Makes `path` bindable: creates missing parent directories (0700); removes a stale socket;
    /// refuses a live one or anything that is not a socket.
    static func prepare(path: String, logger: Logger) throws(ServerStartupError) {
        try createParentDirectory(of: path)
        guard let existing = POSIX.lstatus(path) else {
            guard errno == ENOENT else { throw .cannotProbeSocket(path: path, reason: POSIX.errnoDescription) }
            return
        }
        guard POSIX.isSocket(existing) else { throw .notASocket(path: path) }

        switch probe(path) {
        case .listening:
            throw .alreadyRunning(path: path)
        case .gone:
            return
        case .refused:
            logger.info("removing stale socket left by a previous quarryd", metadata: ["socket": "\(path)"])
            guard unlink(path) == 0 || errno == ENOENT else {
                throw .cannotRemoveStaleSocket(path: path, reason: POSIX.errnoDescription)
            }
        case .failed(let code):
            throw .cannotProbeSocket(path: path, reason: POSIX.describe(code))
        }
    }

    enum ProbeResult: Equatable {
        case listening, refused, gone
        case failed(Int32)
    }

    /// Tries to connect: a live server accepts (or its backlog is full), a stale socket refuses.
    static func probe(_ path: String) -> ProbeResult {
        let fd = POSIX.nonBlockingStreamSocket()
        guard fd >= 0 else { return .failed(errno) }
        defer { close(fd) }
        switch POSIX.connectUnix(fd: fd, path: path) {
        case 0, EAGAIN, EINPROGRESS: return .listening
        case ECONNREFUSED: return .refused
        case ENOENT: return .gone
        case let code: return .failed(code)
        }
    }

    /// chmod, then chown to `group` if one is configured.
    static func applyPermissions(path: String, mode: UInt32, group: SocketGroup?) throws(ServerStartupError) {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw .cannotSetPermissions(path: path, reason: "chmod \(String(mode, radix: 8)): \(POSIX.errnoDescription)")
        }
        guard let group else { return }
        let gid: gid_t
        switch group {
        case .id(let id): gid = gid_t(id)
        case .name(let name):
            guard let id = POSIX.groupID(named: name) else { throw .unknownGroup(name) }
            gid = id
        }
        guard chown(path, uid_t.max, gid) == 0 else {  // uid_t.max is (uid_t)-1: keep the owner
            throw .cannotSetPermissions(path: path, reason: "chown to group \(group): \(POSIX.errnoDescription)")
        }
    }

    static func identity(of path: String) -> FileIdentity? {
        POSIX.lstatus(path).map { FileIdentity(device: UInt64($0.st_dev), inode: UInt64($0.st_ino)) }
    }

    enum Removal: Equatable {
        case removed, alreadyGone, replacedByAnother
    }

    /// Unlinks `path` if it is still the socket we bound; leaves anything else alone.
    static func remove(path: String, ifStill expected: FileIdentity?) -> Removal {
        guard let current = identity(of: path) else { return .alreadyGone }
        guard current == expected else { return .replacedByAnother }
        return unlink(path) == 0 || errno == ENOENT ? .removed : .alreadyGone
    }

    /// Creates the missing directories above `path`, each 0700 (the socket's first line of defence).
    private static func createParentDirectory(of path: String) throws(ServerStartupError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let directory = String(path[..<slash])
        if let info = POSIX.status(directory) {  // follows symlinks: /var/run → /run is fine
            guard POSIX.isDirectory(info) else {
                throw .cannotCreateDirectory(path: directory, reason: "exists and is not a directory")
            }
            return
        }
        try createParentDirectory(of: directory)
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw .cannotCreateDirectory(path: directory, reason: POSIX.errnoDescription)
        }
    }
}
