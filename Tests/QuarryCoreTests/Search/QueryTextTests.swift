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

    @Test func operatorsAreRecognised() {
        for word in ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ", "NEAR/5", "ADJ/2"] {
            #expect(QueryText.isOperator(Substring(word)))
        }
        #expect(!QueryText.isOperator("and"))
        #expect(!QueryText.isOperator("ANDROID"))
    }
}
