import Testing
@testable import QuarryCore

@Suite struct QueryTextTests {
    @Test func wordsAreLowerCasedButOperatorsKeepTheirCase() {
        #expect(QueryText.lowercasingWords("GAZA CEASEFIRE") == "gaza ceasefire")
        #expect(QueryText.lowercasingWords("Gaza AND Israel NOT Egypt") == "gaza AND israel NOT egypt")
        #expect(QueryText.lowercasingWords("Floods NEAR/3 Valmora") == "floods NEAR/3 valmora")
        #expect(QueryText.lowercasingWords("\"Port Strike\" (Callan OR Aldmere)") == "\"port strike\" (callan OR aldmere)")
        #expect(QueryText.lowercasingWords("title:Election") == "title:election")
        #expect(QueryText.lowercasingWords("ZOË Ångström AND São") == "zoë ångström AND são")
        #expect(QueryText.lowercasingWords("") == "")
        #expect(QueryText.lowercasingWords("  (A)  ") == "  (a)  ")
    }

    @Test func trimmingRemovesOuterWhiteSpaceOnly() {
        #expect(QueryText.trimmed("  gaza  strip \n") == "gaza  strip")
        #expect(QueryText.trimmed(" \t ") == "")
        #expect(QueryText.trimmed("x") == "x")
    }

    @Test func wildcardsAreCounted() {
        #expect(QueryText.wildcardCount("port strike") == 0)
        #expect(QueryText.wildcardCount("valm* AND title:stri*") == 2)
        #expect(QueryText.wildcardCount("(valm*) \"port*\"") == 2)
        #expect(QueryText.wildcardCount("* ** (*) \"*\"") == 0, "a lone * is not a wildcard")
        #expect(QueryText.wildcardCount("a** b*c*") == 3, "over-counts rather than under-counts")
        #expect(QueryText.wildcardCount(String(repeating: "s* ", count: 2700)) == 2700)
    }

    @Test func operatorsAreRecognised() {
        for word in ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ", "NEAR/5", "ADJ/2"] {
            #expect(QueryText.isOperator(Substring(word)))
        }
        #expect(!QueryText.isOperator("and"))
        #expect(!QueryText.isOperator("ANDROID"))
    }
}
