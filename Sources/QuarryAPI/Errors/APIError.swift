/// An error as every client sees it: an HTTP status and the body `{"error":{"code":"...","message":"..."}}`.
/// The server answers with it, `QuarryClient` throws it, and the in-process path throws the same value.
///
/// | status | code | when |
/// |---|---|---|
/// | 400 | `bad_parameter` | a parameter is missing, malformed or out of range (the message names it) |
/// | 400 | `bad_json` | a `POST /search` body that is not a JSON object |
/// | 400 | `query_rejected` | Xapian's query parser refused `q` |
/// | 400 | `bad_request` | a malformed HTTP request |
/// | 404 | `not_found` | no such article, or no such endpoint |
/// | 405 | `method_not_allowed` | the path exists with other methods (listed in `Allow`) |
/// | 408 | `request_timeout` | the request did not arrive within `request_timeout_seconds` |
/// | 413 | `payload_too_large` | a body over `max_body_bytes` |
/// | 431 | `headers_too_large` | a head over `max_header_bytes` |
/// | 500 | `internal` | a bug or an unexpected engine error |
/// | 503 | `index_unavailable`, `shutting_down` | the index cannot be read right now; the daemon is stopping |
/// | 504 | `timeout` | the search ran out of time |
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The engine's failures carry their own status, code and message.
    public init(_ failure: SearchFailure) {
        self.init(status: failure.status, code: failure.code, message: failure.message)
    }

    public var description: String { "\(message) [\(code), HTTP \(status)]" }

    public static func badParameter(_ name: String, _ message: String) -> APIError {
        APIError(SearchFailure.badParameter(name: name, message: message))
    }

    public static func badJSON(_ message: String) -> APIError {
        APIError(status: 400, code: "bad_json", message: message)
    }

    public static func routeNotFound(_ path: some StringProtocol) -> APIError {
        APIError(status: 404, code: "not_found", message: "no such endpoint: \(path)")
    }

    public static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        APIError(status: 405, code: "method_not_allowed",
                 message: "\(method) is not allowed here; use \(allowed.joined(separator: ", "))")
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "payload_too_large", message: "request body is larger than \(limit) bytes")
    }

    /// The HTTP decoder gave up: 431 when the request line and headers exceed `max_header_bytes`, else 400.
    public static func malformedRequest(headersTooLarge: Bool) -> APIError {
        if headersTooLarge {
            return APIError(status: 431, code: "headers_too_large",
                            message: "the request line and headers are larger than the server accepts (max_header_bytes)")
        }
        return APIError(status: 400, code: "bad_request", message: "malformed HTTP request")
    }

    /// The request's head and body did not all arrive within `request_timeout_seconds` of its first bytes.
    public static func requestTimeout(seconds: Int) -> APIError {
        APIError(status: 408, code: "request_timeout", message: "the request was not complete within \(seconds) seconds")
    }

    /// The engine could not be opened: the index is missing or unreadable right now.
    public static func indexUnavailable(_ failure: SearchFailure) -> APIError {
        APIError(status: 503, code: "index_unavailable", message: failure.message)
    }

    public static func shuttingDown() -> APIError {
        APIError(status: 503, code: "shutting_down", message: "the server is shutting down")
    }

    public static func `internal`(_ message: String) -> APIError {
        APIError(status: 500, code: "internal", message: message)
    }
}

/// The error body on the wire: `{"error":{"code":"...","message":"..."}}`.
public struct ErrorEnvelope: Sendable, Equatable, Codable {
    public struct Body: Sendable, Equatable, Codable {
        public var code: String
        public var message: String
    }

    public var error: Body

    public init(_ error: APIError) {
        self.error = Body(code: error.code, message: error.message)
    }

    /// The error a client reports for a response with `status` and this body.
    public func apiError(status: Int) -> APIError {
        APIError(status: status, code: error.code, message: error.message)
    }
}
