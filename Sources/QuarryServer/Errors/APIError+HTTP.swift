import NIOHTTP1
import QuarryAPI

extension APIError {
    var httpStatus: HTTPResponseStatus { HTTPResponseStatus(statusCode: status) }

    /// The HTTP decoder gave up: 431 for a head over `max_header_bytes`, else 400.
    static func malformedRequest(_ error: HTTPParserError?) -> APIError {
        .malformedRequest(headersTooLarge: error == .headerOverflow)
    }

    static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> APIError {
        .methodNotAllowed(method.rawValue, allowed: allowed.map(\.rawValue))
    }
}

extension SearchLimits {
    /// The limits `config/quarry.yaml` sets.
    init(_ configuration: ServerConfiguration) {
        self.init(maxLimit: configuration.maxLimit, queryMaxBytes: configuration.queryMaxBytes,
                  queryMaxWildcards: configuration.queryMaxWildcards)
    }
}
