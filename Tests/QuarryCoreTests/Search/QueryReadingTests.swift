import QuarryAPI
@testable import QuarryCore
import QuarryTestSupport
import Testing

/// How a query's text is read (issue 18): syntax when it is meant, words otherwise.
@Suite struct QueryReadingTests {
    @Test(arguments: [
        // Syntax on purpose.
        ("gaza AND israel", QueryMode.syntax),
        ("Gaza AND Israel", .syntax),
        ("ferry OR bakery NOT strike", .syntax),
        ("\"lantern festival\"", .syntax),
        ("harbour (cranes OR ferries)", .syntax),
        ("title:comet", .syntax),
        ("author:\"Mara Lindell\"", .syntax),
        ("the (big) ferry", .words),
        ("temperatures of -20 and +5 degrees", .words),
        ("category:world strike", .syntax),
        ("+ferry strike", .syntax),
        ("ferry -strike", .syntax),
        ("astro* comet", .syntax),
        ("harbour NEAR/3 cranes", .syntax),
        // Prose and headlines: words.
        ("WAR AND PEACE", .words),
        ("GAZA CEASEFIRE TALKS OR NOT", .words),
        ("what is the effect of rain AND wind on the harbour cranes of the northern coast towns", .words),
        ("covid-19 vaccine", .words),
        ("state-of-the-art ovens", .words),
        ("meeting at 10:30 about the bakery", .words),
        ("note: the ferry", .words),
        ("- ferry", .words),
        ("ferry strike", .words),
        ("AND", .words),
        ("", .words),
    ])
    func autoReadsSyntaxOnlyWhenItIsMeant(query: String, expected: QueryMode) {
        #expect(QueryReading(query, mode: .auto, lowercase: true).mode == expected, "\(query)")
    }

    @Test func wordsAreLowerCasedAndSyntaxCharactersAreSpaces() {
        let reading = QueryReading("WAR AND \"Peace\": covid-19 (TALKS)+more* a/b @c", mode: .words, lowercase: true)
        #expect(reading.text == "war and  peace   covid 19  talks  more  a b  c")
        // Punctuation between words goes (the parser would keep stopwords it isolates); full stops inside stay.
        #expect(QueryReading("Humans, that is, speech? Yes! e.g. 3.5 U.S.A. end.", mode: .words, lowercase: true).text
                == "humans  that is  speech  yes  e.g  3.5 u.s.a  end ")
        #expect(reading.flags == [])
        // Non-ASCII letters are lower-cased too, and stay whole.
        #expect(QueryReading("CAFÉ-ÉCLAIR", mode: .words, lowercase: true).text == "café éclair")
    }

    @Test func syntaxKeepsOperatorsAndLowerCasesTheRest() {
        let reading = QueryReading("GAZA AND Israel", mode: .syntax, lowercase: true)
        #expect(reading.text == "gaza AND israel")
        #expect(reading.flags == Searcher.parserFlags)
        #expect(QueryReading("Gaza AND Israel", mode: .syntax, lowercase: false).text == "Gaza AND Israel")
    }

    /// The fixtures have a ferry article and a bakery article, none with both words.
    @Test func aCapitalisedOperatorInAHeadlineDoesNotMakeItBoolean() throws {
        let searcher = try FixtureIndex.searcher()
        func ids(_ q: String, _ mode: QueryMode = .auto) throws -> Set<String> {
            Set(try searcher.search(SearchRequest(q: q, limit: 50, snippets: false, mode: mode)).hits.map(\.id))
        }
        let ferry = try ids("ferry", .syntax), bakery = try ids("bakery", .syntax)
        try #require(!ferry.isEmpty && !bakery.isEmpty && ferry.isDisjoint(with: bakery))

        #expect(try ids("FERRY AND BAKERY") == ferry.union(bakery), "a headline in capitals: words")
        #expect(try ids("FERRY AND BAKERY", .syntax).isEmpty, "syntax on demand: both words required")
        #expect(try ids("ferry AND bakery").isEmpty, "an operator among lower-case words: syntax")
        #expect(try ids("ferry AND bakery", .words) == ferry.union(bakery))
        // A hyphenated pair that is no phrase anywhere: syntax wants the phrase, words want either word.
        #expect(try ids("ferry-bakery", .syntax).isEmpty)
        #expect(try ids("ferry-bakery") == ferry.union(bakery))
    }

    /// "Did you mean" on pasted prose: a paragraph whose words all match (some only by their stem: "surveyed")
    /// gets none; a misspelt word in one is corrected in the user's own text (capitals, punctuation kept).
    @Test func pastedParagraphsGetSuggestionsOnlyForMisspeltWords() throws {
        let corpus = try TestCorpus()
        try corpus.write("world/quake.txt", TestCorpus.article(
            title: "Earthquake shakes Valmora", standfirst: "The earthquake was felt across Valmora.",
            paragraphs: ["Scientists led three earthquake surveys of the coast and the harbour in 2023."]))
        try TestIndexing.index([corpus.corpus], at: corpus.databasePath)
        let searcher = try Searcher(path: corpus.databasePath)
        func suggestion(_ q: String) throws -> String? { try searcher.search(SearchRequest(q: q)).suggestion }

        let known = "The EARTHQUAKE in Valmora (2023): scientists say the coast AND the harbour were surveyed."
        #expect(QueryReading(known, mode: .auto, lowercase: true).mode == .words)
        #expect(try suggestion(known) == nil)
        #expect(try searcher.search(SearchRequest(q: known)).hits.count == 1)
        let misspelt = "Scientists say the EARTHQAKE shook Valmora and the harbour."
        #expect(try suggestion(misspelt) == "Scientists say the earthquake shook Valmora and the harbour.")
    }
}
