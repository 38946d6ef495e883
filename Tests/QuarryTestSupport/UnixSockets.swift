import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking HTTP client over a raw Unix socket: exactly the bytes we send, exactly the bytes we get.
/// Reads (and writes) give up after `timeout` seconds (SO_RCVTIMEO/SO_SNDTIMEO), so a broken server fails
/// the test instead of hanging it.
/// `@unchecked Sendable`: a test hands a client from thread to thread but never uses it from two at once.
public final class UnixSocketClient: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// -1 once closed. A failed init must close through `disconnect()` too: Swift runs `deinit` when a class's
    /// init throws after every property is set, and a second close(2) would hit whatever the process opened
    /// with that number in between (it once closed an in-process server's listening socket under swift-nio).
    private var fd: Int32
    /// Bytes received but not yet handed out.
    private var buffer: [UInt8] = []

    public init(path: String, timeout: Int = 10) throws {
        #if os(Linux)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address: sockaddr_un
        do {
            address = try unixSocketAddress(path)
        } catch {
            disconnect()
            throw error
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            disconnect()
            throw Failure(description: "connect \(path): \(message)")
        }
    }

    deinit {
        disconnect()
    }

    /// Closes the connection now (otherwise the last reference going away does).
    public func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Sends every byte; false if the peer closed (EPIPE/ECONNRESET) or the send failed first.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let sent = remaining.withUnsafeBytes { sendWithoutSignal(fd, $0) }
            guard sent > 0 else { return false }
            remaining = remaining.dropFirst(sent)
        }
        return true
    }

    /// Sends all of `text`, throwing if the connection cannot take it.
    public func send(_ text: String) throws {
        guard send(Array(text.utf8)) else {
            throw Failure(description: "send: \(String(cString: strerror(errno)))")
        }
    }

    /// The next response, or nil if the server closed the connection first.
    public func readResponse() throws -> RawHTTPResponse? {
        while true {
            if let response = RawHTTPResponse.parse(from: &buffer) {
                return response
            }
            guard try fill() else { return nil }
        }
    }

    /// Sends `request` and reads its response; throws if the connection closes without one.
    public func roundTrip(_ request: String) throws -> RawHTTPResponse {
        try send(request)
        guard let response = try readResponse() else { throw Failure(description: "connection closed, no response") }
        return response
    }

    /// True when the server has closed the connection (EOF or reset) with nothing more to read.
    public func isClosedByServer() throws -> Bool {
        while true {
            if !buffer.isEmpty { return false }
            guard try fill() else { return true }
        }
    }

    /// Everything the server sends until it closes the connection (or the read times out: `timedOut`).
    public func readUntilClosed() -> (bytes: [UInt8], timedOut: Bool) {
        while true {
            switch receive() {
            case .received:
                continue
            case .closed:
                defer { buffer = [] }
                return (buffer, false)
            case .failed:
                defer { buffer = [] }
                return (buffer, true)
            }
        }
    }

    private enum Receipt {
        case received
        case closed
        case failed(Int32)
    }

    /// One recv(2) into `buffer`, retrying on EINTR.
    private func receive() -> Receipt {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer += chunk[..<count]
                return .received
            }
            if count == 0 || errno == ECONNRESET { return .closed }
            if errno == EINTR { continue }
            return .failed(errno)
        }
    }

    /// Reads more bytes; false on EOF/reset.
    private func fill() throws -> Bool {
        switch receive() {
        case .received: return true
        case .closed: return false
        case .failed(let code): throw Failure(description: "recv: \(String(cString: strerror(code)))")
        }
    }
}

/// A fresh directory with a short path under /tmp (a socket path must fit in sun_path's 107 bytes),
/// removed with its contents by `remove()`.
public struct ShortTempDirectory: Sendable {
    public let path: String

    public init(prefix: String = "qts") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let made else {
            throw UnixSocketClient.Failure(description: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        path = made
    }

    public func file(_ name: String) -> String { "\(path)/\(name)" }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Whether anything (even a dangling socket) is at `path`, without following symlinks.
public func pathExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// The type, permission bits and group of whatever is at `path`, without following symlinks.
public func fileMode(_ path: String) -> (isSocket: Bool, permissions: UInt32, gid: UInt32)? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return ((info.st_mode & S_IFMT) == S_IFSOCK, UInt32(info.st_mode & 0o777), UInt32(info.st_gid))
}

/// Leaves a socket file behind with nobody listening (bind, then close without unlinking):
/// what a crashed daemon leaves.
public func makeStaleSocket(at path: String) throws {
    #if os(Linux)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_UNIX, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw UnixSocketClient.Failure(description: "socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = try unixSocketAddress(path)
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard result == 0 else {
        throw UnixSocketClient.Failure(description: "bind \(path): \(String(cString: strerror(errno)))")
    }
}

/// An AF_UNIX address for `path`, which must fit in sun_path.
private func unixSocketAddress(_ path: String) throws -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
        throw UnixSocketClient.Failure(description: "socket path too long: \(path)")
    }
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
    return address
}

/// send(2) without SIGPIPE (the class's own `send` shadows the C function).
private func sendWithoutSignal(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    #if os(Linux)
    send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
    #else
    send(fd, bytes.baseAddress, bytes.count, 0)
    #endif
}
