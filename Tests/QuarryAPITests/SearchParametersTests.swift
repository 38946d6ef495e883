import Foundation
import QuarryAPI
import Testing

/// What a client spells is what the server reads: `SearchParameters` encoded as a query string or a JSON
/// body decodes back to itself.
@Suite struct SearchParametersTests {
    static let examples: [SearchParameters] = [
        SearchParameters(q: "port strike"),
        SearchParameters(),
        SearchParameters(q: ""),
        SearchParameters(q: "\"a b\" & c=d + e % f ? # ü/中", limit: 0, offset: 7, categories: ["world", "x y"],
                         from: "2024-01-01", to: "20241231", sort: "-date", facets: ["category", "month"],
                         snippets: false, collapse: true, recency: 0.25),
        SearchParameters(q: "x", snippets: true, collapse: false),
    ]

    @Test(arguments: examples)
    func theQueryStringDecodesBack(parameters: SearchParameters) throws {
        let query = try QueryParameters(parsing: parameters.queryString[...])
        let decoded = try SearchQueryDecoder(limits: SearchLimits()).parameters(from: query)
        #expect(decoded == parameters)
    }

    @Test(arguments: examples)
    func theJSONBodyDecodesBack(parameters: SearchParameters) throws {
        let body = try JSONEncoder().encode(parameters)
        let decoded = try SearchBodyDecoder(limits: SearchLimits()).parameters(from: body)
        #expect(decoded == parameters)
    }

    @Test func listsAreNormalisedByTheValidatorWhateverTheirSpelling() throws {
        let validator = SearchRequestValidator()
        let spelled = SearchParameters(q: "x", categories: [" world,sport", "world", ""], facets: ["month,category", "month"])
        let request = try validator.validate(spelled)
        #expect(request.categories == ["world", "sport"])
        #expect(request.facets == [.month, .category])
    }
}

@Suite struct WireShapeTests {
    @Test func theErrorEnvelopeRoundTrips() throws {
        let error = APIError.badParameter("limit", "must be an integer between 0 and 1000")
        let data = try JSONEncoder().encode(ErrorEnvelope(error))
        #expect(String(decoding: data, as: UTF8.self).hasPrefix(#"{"error":{"#))
        #expect(try JSONDecoder().decode(ErrorEnvelope.self, from: data).apiError(status: 400) == error)
    }

    @Test func statsAreOneFlatObjectWithTheServersFiguresWhenThereAreAny() throws {
        let index = IndexStats(documents: 3, terms: 40, averageLength: 12.5, revision: 2, lastModified: nil,
                               language: "english", datedDocuments: 3)
        let daemon = StatsResponse(index: index, server: .init(uptimeSeconds: 5, queriesServed: 9))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(daemon)) as? [String: Any]
        #expect(object?["documents"] as? Int == 3)
        #expect(object?["uptimeSeconds"] as? Int == 5)
        #expect(try JSONDecoder().decode(StatsResponse.self, from: JSONEncoder().encode(daemon)) == daemon)

        let inProcess = StatsResponse(index: index)
        let plain = try JSONEncoder().encode(inProcess)
        #expect(!String(decoding: plain, as: UTF8.self).contains("uptimeSeconds"))
        #expect(try JSONDecoder().decode(StatsResponse.self, from: plain) == inProcess)
    }

    @Test(arguments: ["world/000_x.txt", "a b?c#d%e&f=g+h", "Zoë/中文", "../etc", ""])
    func percentEncodingIsReadBack(text: String) {
        #expect(PercentDecoding.decode(PercentEncoding.queryComponent(text)[...], plusAsSpace: true) == text)
        #expect(PercentDecoding.decode(PercentEncoding.path(text)[...], plusAsSpace: false) == text)
        #expect(PercentEncoding.path(text).split(separator: "/").count == text.split(separator: "/").count)
    }

    @Test func routesBuildTheTargetsTheServerMatches() {
        #expect(APIRoute.documentTarget(id: "world/a b.txt") == "/documents/world/a%20b.txt")
        #expect(APIRoute.similarTarget(id: "x", limit: 3) == "/similar/x?limit=3")
        #expect(APIRoute.similarTarget(id: "x", limit: nil) == "/similar/x")
        #expect(APIRoute.searchTarget(SearchParameters(q: "a b", limit: 2)) == "/search?q=a%20b&limit=2")
        #expect(Set(APIRoute.allCases.map(\.endpoint)) == ["search", "documents", "similar", "stats", "health", "metrics"])
    }
}
