import NIOCore
import NIOHTTP1
import QuarryAPI

/// One complete request as the route handlers see it: head, decoded query, path captures, body.
struct ServerRequest: Sendable {
    var method: HTTPMethod
    /// The path part of the URI, still percent-encoded.
    var path: Substring
    var query: QueryParameters
    /// Values captured by the route pattern (`{id}`), percent-decoded.
    var pathParameters: [String: String]
    var headers: HTTPHeaders
    var body: ByteBuffer?

    init(method: HTTPMethod, path: Substring, query: QueryParameters = QueryParameters(),
         pathParameters: [String: String] = [:], headers: HTTPHeaders = [:], body: ByteBuffer? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.pathParameters = pathParameters
        self.headers = headers
        self.body = body
    }
}

extension HTTPRequestHead {
    /// The URI split at the first "?": (path, query string without the "?").
    var pathAndQuery: (path: Substring, query: Substring) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri[...], "") }
        return (uri[..<mark], uri[uri.index(after: mark)...])
    }
}
