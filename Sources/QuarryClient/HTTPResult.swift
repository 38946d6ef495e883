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
    case cannotConnect(socket: String, reason: String)
    case connectionClosed

    public var description: String {
        switch self {
        case .cannotConnect(let socket, let reason):
            "cannot reach quarryd at \(socket): \(reason) (is it running? start it with: quarryd --db DIR)"
        case .connectionClosed:
            "quarryd closed the connection before answering"
        }
    }
}
