import Foundation

/// A parsed HTTP/1.1 response (Content-Length framing), for asserting on exactly what went over the wire.
public struct RawHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body))
    }

    private struct ErrorEnvelope: Decodable {
        struct Inner: Decodable { var code: String; var message: String }
        var error: Inner
    }

    /// `{"error":{"code":...}}` → code.
    public var errorCode: String? {
        try? decode(ErrorEnvelope.self).error.code
    }

    /// `{"error":{"message":...}}` → message.
    public var errorMessage: String? {
        try? decode(ErrorEnvelope.self).error.message
    }

    /// Parses one response from the front of `bytes`, removing it; nil if incomplete.
    public static func parse(from bytes: inout [UInt8]) -> RawHTTPResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = bytes.firstRange(of: separator) else { return nil }
        let headText = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.name == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = headEnd.upperBound
        guard bytes.count - bodyStart >= length else { return nil }
        let body = Array(bytes[bodyStart..<bodyStart + length])
        bytes.removeSubrange(..<(bodyStart + length))
        return RawHTTPResponse(status: status, headers: headers, body: body)
    }

    /// Every complete response in `bytes`, in order.
    public static func parseAll(_ bytes: [UInt8]) -> [RawHTTPResponse] {
        var remaining = bytes
        var responses: [RawHTTPResponse] = []
        while let response = parse(from: &remaining) {
            responses.append(response)
        }
        return responses
    }
}
