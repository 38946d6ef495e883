import QuarryAPI
import Testing

/// The one request path: a request is validated before the backend is opened, an engine failure becomes the
/// API's error, and a backend that cannot be opened is a 503.
@Suite struct APIResponderTests {
    final class Opener {
        var opened = 0
        let backend: StubBackend?
        init(_ backend: StubBackend?) { self.backend = backend }

        func open() throws(APIError) -> any SearchBackend {
            opened += 1
            guard let backend else { throw .indexUnavailable(.indexUnavailable("no index yet")) }
            return backend
        }
    }

    struct StubBackend: SearchBackend {
        func search(_ request: SearchRequest) throws(SearchFailure) -> SearchResponse {
            guard request.q != "AND" else { throw .queryRejected("Syntax: <expression> AND <expression>") }
            return SearchResponse(query: request.q, total: MatchCount(estimated: 0, lower: 0, upper: 0), hits: [],
                                  tookMicroseconds: 0)
        }
        func document(id: String) throws(SearchFailure) -> StoredArticle { throw .notFound("no article \(id)") }
        func similar(id: String, limit: Int) throws(SearchFailure) -> SearchResponse {
            SearchResponse(query: id, total: MatchCount(estimated: 0, lower: 0, upper: 0), hits: [], tookMicroseconds: 0)
        }
        func stats() throws(SearchFailure) -> IndexStats {
            IndexStats(documents: 1, terms: 1, averageLength: 1, revision: 1, lastModified: nil, language: "english",
                       stemming: "some", datedDocuments: 0)
        }
    }

    let responder = APIResponder()

    @Test func badRequestsNeverOpenTheBackend() {
        let opener = Opener(nil)
        #expect(throws: APIError.badParameter("q", "is required")) {
            try responder.search(SearchParameters(), on: opener.open)
        }
        #expect(throws: APIError.badParameter("id", "is required")) { try responder.document(id: "", on: opener.open) }
        #expect(throws: APIError.self) { try responder.similar(id: "x", limit: 5000, on: opener.open) }
        #expect(opener.opened == 0)
        #expect(throws: APIError.indexUnavailable(.indexUnavailable("no index yet"))) {
            try responder.search(SearchParameters(q: "x"), on: opener.open)
        }
        #expect(opener.opened == 1)
    }

    @Test func engineFailuresBecomeTheAPIsErrors() throws {
        let opener = Opener(StubBackend())
        #expect(throws: APIError(status: 400, code: "query_rejected", message: "Syntax: <expression> AND <expression>")) {
            try responder.search(SearchParameters(q: "AND"), on: opener.open)
        }
        #expect(throws: APIError(status: 404, code: "not_found", message: "no article x")) {
            try responder.document(id: "x", on: opener.open)
        }
        #expect(try responder.similar(id: "x", limit: nil, on: opener.open).query == "x")
        #expect(try responder.stats(on: opener.open).server == nil)
        #expect(try responder.health(on: opener.open) == HealthResponse())
    }
}
