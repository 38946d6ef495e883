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
                         snippets: false, collapse: true, recency: 0.25, mode: "words", feedback: true),
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
