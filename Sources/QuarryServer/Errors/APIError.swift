import NIOHTTP1
import QuarryCore

/// An error as the client sees it: `{"error":{"code":"...","message":"..."}}` with `status`.
struct APIError: Error, Sendable, Equatable {
    var status: HTTPResponseStatus
    var code: String
    var message: String

    init(status: HTTPResponseStatus, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The engine's failures carry their own status, code and message.
    init(_ failure: SearchFailure) {
        self.init(status: HTTPResponseStatus(statusCode: failure.status), code: failure.code, message: failure.message)
    }

    static func badParameter(_ name: String, _ message: String) -> APIError {
        APIError(SearchFailure.badParameter(name: name, message: message))
    }

    static func badJSON(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "bad_json", message: message)
    }

    static func routeNotFound(_ path: Substring) -> APIError {
        APIError(status: .notFound, code: "not_found", message: "no such endpoint: \(path)")
    }

    static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> APIError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(status: .methodNotAllowed, code: "method_not_allowed",
                        message: "\(method.rawValue) is not allowed here; use \(list)")
    }

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, code: "payload_too_large",
                 message: "request body is larger than \(limit) bytes")
    }

    /// The HTTP decoder gave up: 431 when the request line and headers exceed `max_header_bytes`, else 400.
    static func malformedRequest(_ error: HTTPParserError? = nil) -> APIError {
        if error == .headerOverflow {
            return APIError(status: .requestHeaderFieldsTooLarge, code: "headers_too_large",
                            message: "the request line and headers are larger than the server accepts (max_header_bytes)")
        }
        return APIError(status: .badRequest, code: "bad_request", message: "malformed HTTP request")
    }

    /// The request's head and body did not all arrive within `request_timeout_seconds` of its first bytes.
    static func requestTimeout(seconds: Int) -> APIError {
        APIError(status: .requestTimeout, code: "request_timeout",
                 message: "the request was not complete within \(seconds) seconds")
    }

    /// Backend creation failed: the index is missing or unreadable right now. Retried on the next request.
    static func indexUnavailable(_ failure: SearchFailure) -> APIError {
        APIError(status: .serviceUnavailable, code: "index_unavailable", message: failure.message)
    }

    static func shuttingDown() -> APIError {
        APIError(status: .serviceUnavailable, code: "shutting_down", message: "the server is shutting down")
    }

    static func `internal`(_ message: String) -> APIError {
        APIError(status: .internalServerError, code: "internal", message: message)
    }
}

/// Runs an engine call, turning its typed failure into the client-facing error.
@inline(__always)
func engineCall<T>(_ body: () throws(SearchFailure) -> T) throws(APIError) -> T {
    do {
        return try body()
    } catch {
        throw APIError(error)
    }
}
