/// Why the server refused to start. Each description is a complete sentence for the operator.
public enum ServerStartupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A server answered on the socket path: never steal a live daemon's socket.
    case alreadyRunning(path: String)
    /// Something that is not a socket sits at the path: never delete it.
    case notASocket(path: String)
    case socketPathTooLong(path: String, limit: Int)
    case cannotCreateDirectory(path: String, reason: String)
    case cannotProbeSocket(path: String, reason: String)
    case cannotRemoveStaleSocket(path: String, reason: String)
    case cannotBind(path: String, reason: String)
    case cannotSetPermissions(path: String, reason: String)
    case unknownGroup(String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let path):
            "another quarryd is already listening on \(path); stop it first or choose another --socket"
        case .notASocket(let path):
            "\(path) exists and is not a socket; refusing to replace it (move it away or choose another --socket)"
        case .socketPathTooLong(let path, let limit):
            "socket path \(path) is longer than \(limit) bytes, the limit for Unix domain sockets"
        case .cannotCreateDirectory(let path, let reason):
            "cannot create socket directory \(path): \(reason)"
        case .cannotProbeSocket(let path, let reason):
            "cannot check whether \(path) is in use: \(reason)"
        case .cannotRemoveStaleSocket(let path, let reason):
            "cannot remove stale socket \(path): \(reason)"
        case .cannotBind(let path, let reason):
            "cannot listen on \(path): \(reason)"
        case .cannotSetPermissions(let path, let reason):
            "cannot set permissions on \(path): \(reason)"
        case .unknownGroup(let name):
            "socket group \(name) does not exist"
        case .invalidConfiguration(let message):
            "invalid configuration: \(message)"
        }
    }
}
