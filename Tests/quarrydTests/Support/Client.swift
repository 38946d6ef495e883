import Foundation
import NIOHTTP1
import QuarryClient
import QuarryCore

/// One keep-alive connection to the daemon, with a watchdog on every request (a hung daemon fails the
/// test instead of hanging it) and JSON decoding of the answers.
struct Client: Sendable {
    let connection: QuarryConnection
    let timeout: Double

    static func connect(_ socketPath: String, timeout: Double = 30) async throws -> Client {
        Client(connection: try await QuarryConnection.connect(socketPath: socketPath), timeout: timeout)
    }

    func close() async {
        await connection.close()
    }

    /// Sends one request; if no answer comes within `timeout`, closes the connection (which fails the request).
    func send(_ method: HTTPMethod, _ target: String, body: [UInt8]? = nil) async throws -> HTTPResult {
        let connection = self.connection
        let timeout = self.timeout
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))
            await connection.close()
        }
        defer { watchdog.cancel() }
        return try await connection.request(method, target, body: body)
    }

    func get(_ target: String) async throws -> HTTPResult {
        try await send(.GET, target)
    }

    func post(_ target: String, json: String) async throws -> HTTPResult {
        try await send(.POST, target, body: Array(json.utf8))
    }

    /// `GET /search?<query>`, which must answer 200.
    func search(_ query: String) async throws -> SearchResponse {
        try decode(SearchResponse.self, try await get("/search?" + query))
    }

    /// The hit ids of `GET /search?<query>`.
    func ids(_ query: String) async throws -> [String] {
        try await search(query).hits.map(\.id)
    }

    func decode<T: Decodable>(_ type: T.Type, _ result: HTTPResult) throws -> T {
        guard result.status == 200 else {
            throw UnexpectedAnswer(description: "expected 200, got \(result.status): \(result.text)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(result.body))
        } catch {
            throw UnexpectedAnswer(description: "cannot decode \(T.self) (\(error)) from: \(result.text)")
        }
    }
}

struct UnexpectedAnswer: Error, CustomStringConvertible {
    var description: String
}

/// Connects, runs `body`, and always closes the connection.
func withClient<T>(_ socketPath: String, _ body: (Client) async throws -> T) async throws -> T {
    let client = try await Client.connect(socketPath)
    do {
        let result = try await body(client)
        await client.close()
        return result
    } catch {
        await client.close()
        throw error
    }
}

extension ErrorEnvelope {
    /// The error body of a daemon answer, if it is one.
    static func decode(_ result: HTTPResult) -> Body? {
        try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(result.body)).error
    }
}

/// Percent-encodes a query-string value, as QuarryClient does.
func enc(_ value: String) -> String {
    PercentEncoding.queryComponent(value)
}

/// Percent-encodes an article id for a URL path, keeping its slashes.
func encPath(_ id: String) -> String {
    PercentEncoding.path(id)
}
