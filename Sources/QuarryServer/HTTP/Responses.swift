#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import QuarryAPI
import NIOCore
import NIOHTTP1

/// A finished response: status, headers and an already-encoded body. Built on a worker thread or on the
/// event loop, written by `HTTPServerHandler`, which adds content-length and connection headers.
struct ServerResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer

    static let jsonContentType = "application/json; charset=utf-8"
    static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    init(status: HTTPResponseStatus, contentType: String, body: ByteBuffer) {
        self.status = status
        self.headers = ["content-type": contentType]
        self.body = body
    }

    /// `value` as JSON. Encoding is done by the caller's (per-thread) encoder.
    static func json(_ value: any Encodable, status: HTTPResponseStatus = .ok, encoder: JSONEncoder) -> ServerResponse {
        do {
            let data = try encoder.encode(value)
            return ServerResponse(status: status, contentType: jsonContentType, body: ByteBuffer(bytes: data))
        } catch {
            return .error(.internal("cannot encode the response: \(error)"))
        }
    }

    /// `{"error":{"code":...,"message":...}}`. Hand-written so that error paths on the event loop need no encoder.
    static func error(_ error: APIError) -> ServerResponse {
        var body = ByteBuffer()
        body.writeString(#"{"error":{"code":"#)
        body.writeJSONString(error.code)
        body.writeString(#","message":"#)
        body.writeJSONString(error.message)
        body.writeString("}}")
        return ServerResponse(status: error.httpStatus, contentType: jsonContentType, body: body)
    }
}

extension ByteBuffer {
    /// Writes `string` as a quoted JSON string, escaping quotes, backslashes and control characters.
    /// Runs of bytes that need no escape are copied in one go (this writes every field of every hit).
    mutating func writeJSONString(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            writeInteger(UInt8(ascii: "\""))
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): writeStaticString("\\\"")
                case UInt8(ascii: "\\"): writeStaticString("\\\\")
                case UInt8(ascii: "\n"): writeStaticString("\\n")
                case UInt8(ascii: "\r"): writeStaticString("\\r")
                case UInt8(ascii: "\t"): writeStaticString("\\t")
                default:
                    writeStaticString("\\u00")
                    writeInteger(Self.hexDigits[Int(byte >> 4)])
                    writeInteger(Self.hexDigits[Int(byte & 0xF)])
                }
            }
            writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[runStart..<bytes.count]))
            writeInteger(UInt8(ascii: "\""))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
