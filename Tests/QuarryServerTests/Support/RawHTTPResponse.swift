import Foundation

/// A parsed HTTP/1.1 response, for asserting on exactly what went over the wire.
struct RawHTTPResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body))
    }

    /// `{"error":{"code":...}}` → code.
    var errorCode: String? {
        struct Envelope: Decodable { struct Inner: Decodable { var code: String; var message: String }; var error: Inner }
        return try? decode(Envelope.self).error.code
    }

    var errorMessage: String? {
        struct Envelope: Decodable { struct Inner: Decodable { var code: String; var message: String }; var error: Inner }
        return try? decode(Envelope.self).error.message
    }

    /// Parses one response from the front of `bytes`, removing it; nil if incomplete.
    static func parse(from bytes: inout [UInt8]) -> RawHTTPResponse? {
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

    static func parseAll(_ bytes: [UInt8]) -> [RawHTTPResponse] {
        var remaining = bytes
        var responses: [RawHTTPResponse] = []
        while let response = parse(from: &remaining) {
            responses.append(response)
        }
        return responses
    }
}

extension String {
    /// A request with the given extra headers; Host is always set.
    static func request(_ method: String, _ target: String, body: String? = nil,
                        headers: [String] = [], version: String = "HTTP/1.1") -> String {
        var lines = ["\(method) \(target) \(version)", "Host: quarry"] + headers
        if let body {
            lines.append("Content-Length: \(body.utf8.count)")
            lines.append("Content-Type: application/json")
        }
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")
    }
}
