import Foundation
import Logging
import QuarryAPI
import QuarryClient
import QuarryServer
import QuarryTestSupport
import Synchronization
import Testing

/// The typed client against a real QuarryServer on a temporary socket, with an engine that echoes what it
/// was asked: what the client sends arrives intact, and what the server answers comes back typed.
@Suite("QuarryClient", .timeLimit(.minutes(1)))
struct QuarryClientTests {
    @Test func bothSearchEncodingsReachTheEngineAsTheSameRequest() async throws {
        try await withClient { client, seen async throws in
            let parameters = SearchParameters(
                q: "port strike", limit: 3, offset: 1, categories: ["world", "business"], from: "2024-01-01",
                to: "2024-12-31", sort: "-date", facets: ["category"], snippets: false, collapse: true, recency: 7.5)
            let viaQuery = try await client.search(parameters, encoding: .queryString)
            let viaBody = try await client.search(parameters, encoding: .jsonBody)
            #expect(viaQuery == viaBody)
            let requests = seen.requests.withLock { $0 }
            #expect(requests.count == 2)
            #expect(requests.first == requests.last)
            let expected = try SearchRequestValidator().validate(parameters)
            #expect(requests.first == expected)
            #expect(viaQuery.query == "port strike")
        }
    }

    @Test(arguments: ["world/000_x.txt", "a b/c?d#e%f.txt", "Zoë/Ångström+1.txt", "..%2F/x"])
    func idsArriveIntact(id: String) async throws {
        try await withClient { client, _ async throws in
            #expect(try await client.document(id: id).id == id)
            #expect(try await client.similar(id: id, limit: 2).query == id)
        }
    }

    @Test func errorsComeBackAsTheServersAPIError() async throws {
        try await withClient { client, _ async throws in
            await #expect(throws: APIError(status: 404, code: "not_found", message: "no article with id \"missing\"")) {
                try await client.document(id: "missing")
            }
            let tooMany = SearchLimits().limitRange
            await #expect(throws: APIError.badParameter("limit", "must be an integer between 0 and \(tooMany.upperBound)")) {
                try await client.search(SearchParameters(q: "x", limit: 5000))
            }
            await #expect(throws: APIError.badParameter("q", "is required")) {
                try await client.search(SearchParameters(), encoding: .queryString)
            }
        }
    }

    @Test func statsAndHealthAreTyped() async throws {
        try await withClient { client, _ async throws in
            let stats = try await client.stats()
            #expect(stats.index == EchoBackend.stats)
            #expect(stats.server?.queriesServed == 0)
            #expect(try await client.health() == HealthResponse(status: "ok"))
        }
    }

    /// Each way of not reaching quarryd is told apart, and the message names the socket.
    @Test func connectFailuresSayWhatWentWrong() async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let stale = directory.file("stale.sock")
        try makeStaleSocket(at: stale)
        let file = directory.file("file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        let cases: [(String, QuarryClientError.ConnectFailure)] = [
            (directory.file("absent.sock"), .noSocket), (stale, .refused), (file, .notASocket),
        ]
        for (path, expected) in cases {
            do {
                _ = try await QuarryClient.connect(socketPath: path)
                Issue.record("connected to \(path)")
            } catch QuarryClientError.cannotConnect(let socket, let failure) {
                #expect(socket == path)
                #expect(failure == expected, "\(path)")
                #expect(QuarryClientError.cannotConnect(socket: socket, failure).description.contains(path))
            }
        }
    }

    @Test func aBodyThatIsNoEnvelopeStillGivesAnError() {
        let result = HTTPResult(status: 502, headers: [], body: Array("<html>bad gateway</html>".utf8))
        #expect(result.apiError() == APIError(status: 502, code: "http_502", message: "<html>bad gateway</html>"))
        let envelope = HTTPResult(status: 503, headers: [],
                                  body: Array(#"{"error":{"code":"shutting_down","message":"bye"}}"#.utf8))
        #expect(envelope.apiError() == APIError(status: 503, code: "shutting_down", message: "bye"))
    }

    /// Starts a server with an `EchoBackend`, runs `body` with a connected client, and always stops both.
    private func withClient(
        _ body: (QuarryClient, SeenRequests) async throws -> Void
    ) async throws {
        let directory = try ShortTempDirectory()
        defer { directory.remove() }
        let seen = SeenRequests()
        let server = try await QuarryServer.start(
            configuration: ServerConfiguration(socketPath: directory.file("q.sock"), workers: 1),
            backendFactory: { EchoBackend(seen: seen) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            let client = try await QuarryClient.connect(socketPath: server.socketPath)
            do {
                try await body(client, seen)
            } catch {
                await client.close()
                throw error
            }
            await client.close()
        } catch {
            await server.shutdown(gracePeriod: .zero)
            throw error
        }
        await server.shutdown()
    }
}

final class SeenRequests: Sendable {
    let requests = Mutex<[SearchRequest]>([])
}

/// Answers every call from what it was asked: a search's query, an article or a similar search named by its id.
struct EchoBackend: SearchBackend {
    static let stats = IndexStats(documents: 3, terms: 42, averageLength: 7.5, revision: 9, lastModified: nil,
                                  language: "english", stemming: "some", datedDocuments: 2)
    let seen: SeenRequests

    func search(_ request: SearchRequest) throws(SearchFailure) -> SearchResponse {
        seen.requests.withLock { $0.append(request) }
        return SearchResponse(query: request.q, total: MatchCount(estimated: 0, lower: 0, upper: 0), hits: [],
                              tookMicroseconds: 1)
    }

    func document(id: String) throws(SearchFailure) -> StoredArticle {
        guard id != "missing" else { throw .notFound("no article with id \"\(id)\"") }
        return StoredArticle(id: id, title: "t", body: "")
    }

    func similar(id: String, limit: Int) throws(SearchFailure) -> SearchResponse {
        SearchResponse(query: id, total: MatchCount(estimated: 0, lower: 0, upper: 0), hits: [], tookMicroseconds: 1)
    }

    func stats() throws(SearchFailure) -> IndexStats { Self.stats }
}
