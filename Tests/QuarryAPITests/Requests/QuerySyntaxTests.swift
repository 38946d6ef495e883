import QuarryAPI
import Testing

@Suite struct QuerySyntaxTests {
    @Test func wildcardsAreCounted() {
        #expect(QuerySyntax.wildcardCount("port strike") == 0)
        #expect(QuerySyntax.wildcardCount("valm* AND title:stri*") == 2)
        #expect(QuerySyntax.wildcardCount("(valm*) \"port*\"") == 2)
        #expect(QuerySyntax.wildcardCount("* ** (*) \"*\"") == 0, "a lone * is not a wildcard")
        #expect(QuerySyntax.wildcardCount("a** b*c*") == 3, "over-counts rather than under-counts")
        #expect(QuerySyntax.wildcardCount(String(repeating: "s* ", count: 2700)) == 2700)
    }
}
