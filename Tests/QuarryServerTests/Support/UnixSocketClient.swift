import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking HTTP client over a raw Unix socket: exactly the bytes we send, exactly the bytes we get.
/// Reads give up after 10 s (SO_RCVTIMEO) so a broken server fails the test instead of hanging it.
/// `@unchecked Sendable`: a test hands a client from thread to thread but never uses it from two at once.
final class UnixSocketClient: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        #if os(Linux)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "connect \(path): \(message)")
        }
    }

    deinit {
        close(fd)
    }

    func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { sendBytes(fd, $0) }
            guard sent > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            bytes = bytes.dropFirst(sent)
        }
    }

    /// The next response, or nil if the server closed the connection first.
    func readResponse() throws -> RawHTTPResponse? {
        while true {
            if let response = RawHTTPResponse.parse(from: &buffer) {
                return response
            }
            guard try fill() else { return nil }
        }
    }

    func roundTrip(_ request: String) throws -> RawHTTPResponse {
        try send(request)
        guard let response = try readResponse() else { throw Failure(description: "connection closed, no response") }
        return response
    }

    /// True when the server has closed the connection (EOF or reset) with nothing more to read.
    func isClosedByServer() throws -> Bool {
        while true {
            if !buffer.isEmpty { return false }
            guard try fill() else { return true }
        }
    }

    /// Reads more bytes; false on EOF/reset.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer += chunk[..<count]
            return true
        }
        if count == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "recv: \(String(cString: strerror(errno)))")
    }
}

/// A fresh short directory under /tmp (sun_path is only 108 bytes), removed with its contents afterwards.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/qst-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let made else { throw UnixSocketClient.Failure(description: "mkdtemp failed") }
        path = made
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Leaves a socket file behind with nobody listening: what a crashed daemon leaves.
func makeStaleSocket(at path: String) throws {
    #if os(Linux)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_UNIX, SOCK_STREAM, 0)
    #endif
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    close(fd)
    guard result == 0 else { throw UnixSocketClient.Failure(description: "bind stale socket failed") }
}

/// Permission bits and type of whatever is at `path`, without following symlinks.
func fileMode(_ path: String) -> (isSocket: Bool, permissions: UInt32, gid: UInt32)? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return ((info.st_mode & S_IFMT) == S_IFSOCK, UInt32(info.st_mode & 0o777), UInt32(info.st_gid))
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// send(2) without SIGPIPE (the class's own `send` shadows the C function).
private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    #if os(Linux)
    send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
    #else
    send(fd, bytes.baseAddress, bytes.count, 0)
    #endif
}
