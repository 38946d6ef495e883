import QuarryAPI
import Testing

@Suite struct APIRouteTests {
    @Test func routesBuildTheTargetsTheServerMatches() {
        #expect(APIRoute.documentTarget(id: "world/a b.txt") == "/documents/world/a%20b.txt")
        #expect(APIRoute.similarTarget(id: "x", limit: 3) == "/similar/x?limit=3")
        #expect(APIRoute.similarTarget(id: "x", limit: nil) == "/similar/x")
        #expect(APIRoute.searchTarget(SearchParameters(q: "a b", limit: 2)) == "/search?q=a%20b&limit=2")
        #expect(Set(APIRoute.allCases.map(\.endpoint)) == ["search", "documents", "similar", "stats", "health", "metrics"])
    }
}
