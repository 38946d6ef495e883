/// A whole HTTP response from quarryd.
public struct HTTPResult: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

public enum QuarryClientError: Error, CustomStringConvertible {
    /// Why a connection to the socket failed, in the terms a user can act on.
    public enum ConnectFailure: Sendable, Equatable {
        /// Nothing at the path (ENOENT): quarryd is not running, or listens elsewhere.
        case noSocket
        /// The socket or a folder above it may not be opened by this user (EACCES, EPERM).
        case permissionDenied
        /// A socket file with nothing listening (ECONNREFUSED): a quarryd that was killed left it behind.
        case refused
        /// Something other than a socket is at the path.
        case notASocket
        case other(String)
    }

    case cannotConnect(socket: String, ConnectFailure)
    case connectionClosed

    public var description: String {
        switch self {
        case .cannotConnect(let socket, .noSocket):
            "cannot reach quarryd: no socket at \(socket). Is quarryd running? Start it with "
                + "`quarryd --db DIR --socket \(socket)`, or point --socket (or QUARRY_SOCKET) at the one it uses."
        case .cannotConnect(let socket, .permissionDenied):
            "cannot reach quarryd at \(socket): permission denied. The socket is mode 0600 by default: run as "
                + "quarryd's user, or give your group access with quarryd's socket_mode and socket_group settings."
        case .cannotConnect(let socket, .refused):
            "cannot reach quarryd at \(socket): connection refused, nothing is listening there (a stale socket "
                + "from a quarryd that was killed). Start quarryd again; it replaces the stale socket."
        case .cannotConnect(let socket, .notASocket):
            "cannot reach quarryd at \(socket): that is not a socket. Point --socket (or QUARRY_SOCKET) at the "
                + "socket quarryd listens on (quarryd logs it at start-up)."
        case .cannotConnect(let socket, .other(let reason)):
            "cannot reach quarryd at \(socket): \(reason)"
        case .connectionClosed:
            "quarryd closed the connection before answering"
        }
    }
}
