#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOHTTP1
import QuarryAPI

/// The typed client of quarryd: the API's calls over one keep-alive connection to its Unix socket.
///
/// ```swift
/// let client = try await QuarryClient.connect(socketPath: "/tmp/quarry.sock")
/// let page = try await client.search(SearchParameters(q: "port strike", limit: 5))
/// await client.close()
/// ```
/// An answer other than 200 is thrown as the `APIError` the server sent; a transport failure as
/// `QuarryClientError`.
public final class QuarryClient: QuarryService {
    /// How `search` sends its parameters: both reach the same validation on the server.
    public enum SearchEncoding: Sendable {
        /// `GET /search?q=…`
        case queryString
        /// `POST /search` with a JSON object.
        case jsonBody
    }

    public let connection: QuarryConnection

    public init(connection: QuarryConnection) {
        self.connection = connection
    }

    public static func connect(socketPath: String) async throws -> QuarryClient {
        QuarryClient(connection: try await QuarryConnection.connect(socketPath: socketPath))
    }

    public func close() async {
        await connection.close()
    }

    /// Connects, runs `body`, and always closes.
    public static func with<T: Sendable>(socketPath: String, _ body: (QuarryClient) async throws -> T) async throws -> T {
        try await QuarryConnection.with(socketPath: socketPath) { try await body(QuarryClient(connection: $0)) }
    }

    public func search(_ parameters: SearchParameters) async throws -> SearchResponse {
        try await search(parameters, encoding: .jsonBody)
    }

    public func search(_ parameters: SearchParameters, encoding: SearchEncoding) async throws -> SearchResponse {
        switch encoding {
        case .queryString:
            return try await get(SearchResponse.self, APIRoute.searchTarget(parameters))
        case .jsonBody:
            let body = try JSONEncoder().encode(parameters)
            return try decode(SearchResponse.self, try await connection.request(.POST, "/search", body: Array(body)))
        }
    }

    public func document(id: String) async throws -> StoredArticle {
        try await get(StoredArticle.self, APIRoute.documentTarget(id: id))
    }

    public func similar(id: String, limit: Int?) async throws -> SearchResponse {
        try await get(SearchResponse.self, APIRoute.similarTarget(id: id, limit: limit))
    }

    public func stats() async throws -> StatsResponse {
        try await get(StatsResponse.self, "/stats")
    }

    public func health() async throws -> HealthResponse {
        try await get(HealthResponse.self, "/health")
    }

    private func get<T: Decodable>(_ type: T.Type, _ target: String) async throws -> T {
        try decode(type, try await connection.request(.GET, target))
    }

    /// The value of a 200 answer; otherwise the error it carries.
    private func decode<T: Decodable>(_ type: T.Type, _ result: HTTPResult) throws -> T {
        let decoder = JSONDecoder()
        guard result.status == 200 else { throw result.apiError(decoder: decoder) }
        return try decoder.decode(type, from: Data(result.body))
    }
}

extension HTTPResult {
    /// The error envelope of a failed answer, or, where the body is not one (a proxy's page), the status and text.
    public func apiError(decoder: JSONDecoder = JSONDecoder()) -> APIError {
        if let envelope = try? decoder.decode(ErrorEnvelope.self, from: Data(body)) {
            return envelope.apiError(status: status)
        }
        return APIError(status: status, code: "http_\(status)", message: text)
    }
}
