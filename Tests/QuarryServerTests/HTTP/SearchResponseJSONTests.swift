import Foundation
import NIOCore
import Testing
import QuarryAPI
@testable import QuarryServer

/// The hand-written search JSON must read back as exactly the SearchResponse it came from.
@Suite struct SearchResponseJSONTests {
    func roundTrip(_ response: SearchResponse) throws -> SearchResponse {
        var buffer = ByteBuffer()
        response.writeJSON(into: &buffer)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return try JSONDecoder().decode(SearchResponse.self, from: Data(bytes))
    }

    /// The hand-written bytes and JSONEncoder's, read as JSON objects, are equal (computed fields such as
    /// `total.exact` included).
    func sameObject(_ response: SearchResponse) throws -> Bool {
        var buffer = ByteBuffer()
        response.writeJSON(into: &buffer)
        let handWritten = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? NSDictionary
        let codable = try JSONSerialization.jsonObject(with: JSONEncoder().encode(response)) as? NSDictionary
        return handWritten != nil && handWritten == codable
    }

    @Test func everyFieldRoundTrips() throws {
        let hit = SearchHit(
            rank: 1, id: "world/a \"b\"\\c.txt", score: 12.345678901234567, percent: 97,
            title: "Zoë’s title\twith\ncontrol \u{01} chars", date: ArticleDate(year: 2024, month: 2, day: 29),
            category: "world", url: "https://example.org/a?b=c&d=</e>", snippet: "…the <b>port strike</b>…",
            collapsed: 2)
        let bare = SearchHit(rank: 2, id: "x", score: 1e-7, percent: 0, title: "", date: nil, category: nil,
                             url: nil, snippet: nil)
        let response = SearchResponse(
            query: "\"port strike\" NOT ✓", total: MatchCount(estimated: 3, lower: 2, upper: 5), hits: [hit, bare],
            facets: ["category": [FacetCount(value: "world", count: 2)], "month": [FacetCount(value: "2024-03", count: 1)]],
            suggestion: "earthquake", notes: ["a \"note\"", "two"], tookMicroseconds: 321)
        #expect(try roundTrip(response) == response)
        #expect(try sameObject(response), "the same JSON object as the Codable form, key for key")
    }

    @Test func emptyResultsRoundTrip() throws {
        let response = SearchResponse(query: "", total: MatchCount(estimated: 0, lower: 0, upper: 0), hits: [],
                                      tookMicroseconds: 0)
        #expect(try roundTrip(response) == response)
        #expect(try sameObject(response))
    }
}
