import Testing
@testable import QuarryCore
import QuarryTestSupport
import Xapian

@Suite struct SpellingSuggestionTests {
    /// An index whose spelling data knows "earthquake", "valmora" and "québécoises".
    func withSuggester(_ body: (SpellingSuggestion) throws -> Void) throws {
        let corpus = try TestCorpus()
        try corpus.write("world/quake.txt", TestCorpus.article(
            title: "Earthquake shakes Valmora",
            standfirst: "The earthquake was felt across Valmora.",
            paragraphs: ["Québécoises scientists led three earthquake surveys of the Valmora coast."]))
        let indexer = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        _ = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        try body(SpellingSuggestion(database: try Database(path: corpus.databasePath)))
    }

    @Test func unknownWordsAreCorrectedAndEverythingElseIsKept() throws {
        try withSuggester { (suggester: SpellingSuggestion) throws in
            #expect(try suggester.suggestion(for: "earthqake") == "earthquake")
            #expect(try suggester.suggestion(for: "earthqake AND valmra") == "earthquake AND valmora")
            #expect(try suggester.suggestion(for: "(earthqake) \"valmra\" -x") == "(earthquake) \"valmora\" -x")
            #expect(try suggester.suggestion(for: "title:valmra") == "title:valmora")
        }
    }

    @Test func knownShortAndOperatorWordsGetNoSuggestion() throws {
        try withSuggester { (suggester: SpellingSuggestion) throws in
            #expect(try suggester.suggestion(for: "earthquake valmora") == nil)
            #expect(try suggester.suggestion(for: "ab NEAR/3 earthquake") == nil)
            #expect(try suggester.suggestion(for: "") == nil)
            #expect(try suggester.suggestion(for: "12345 !!") == nil)
        }
    }

    /// An index of stems only (`all`, `all_z`) has no word as written among its terms: the spelling data says
    /// which words it knows, so a correct word gets no "did you mean" (Xapian offers a neighbour: "floods" →
    /// "flood") and a misspelt one still does.
    static let strategies: [StemmingStrategy] = [.some, .all, .allZ]
    @Test(arguments: Self.strategies)
    func knownWordsGetNoSuggestionWhateverTheStemming(stemming: Xapian.StemmingStrategy) throws {
        let corpus = try TestCorpus()
        try corpus.write("world/floods.txt", TestCorpus.article(
            title: "Floods in Valmora", standfirst: "The flood rose overnight.", paragraphs: ["Rivers burst."]))
        var options = IndexerOptions(databasePath: corpus.databasePath)
        options.stemming = stemming
        let indexer = try Indexer(options: options)
        _ = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        let searcher = try Searcher(path: corpus.databasePath, settings: SearchSettings())
        func suggestion(_ q: String) throws -> String? {
            try searcher.search(SearchRequest(q: q, limit: 10, snippets: false)).suggestion
        }
        #expect(try suggestion("floods valmora") == nil)
        #expect(try suggestion("flod valmora") == "flood valmora")
    }

    @Test func nonASCIIWordsAreWholeWords() throws {
        try withSuggester { (suggester: SpellingSuggestion) throws in
            // "québécoise" is one word (é is alphabetic), corrected as a whole; the text around it is kept.
            #expect(try suggester.suggestion(for: "québécoise coast") == "québécoises coast")
            #expect(try suggester.suggestion(for: "québécoises") == nil)
            // Upper-case non-ASCII is lower-cased before the lookup.
            #expect(try suggester.suggestion(for: "QUÉBÉCOISES") == nil)
            // Stray bytes of other scripts and emoji are punctuation here, kept as they are.
            #expect(try suggester.suggestion(for: "🌋 earthqake") == "🌋 earthquake")
        }
    }

    /// The query's syntax survives: no field name, boolean value or wildcard stem is "corrected".
    @Test(arguments: [
        ("id:tech/003.txt", nil), ("id:wire-001 earthqake", "id:wire-001 earthquake"),
        ("category:sport valmra", "category:sport valmora"), ("title:earthqake NOT local", "title:earthquake NOT local"),
        ("semi* earthqake", "semi* earthquake"), ("date:20240101..20241231", nil), ("year:2024 valmra", "year:2024 valmora"),
        ("category:\"sport news\" valmra", "category:\"sport news\" valmora"), ("Earthqake in Valmra.", "earthquake in valmora."),
        ("covid19 earthqake", "covid19 earthquake"),
    ] as [(String, String?)])
    func fieldsAndWildcardsAreKept(query: String, expected: String?) throws {
        try withSuggester { (suggester: SpellingSuggestion) throws in
            #expect(try suggester.suggestion(for: query) == expected, "\(query)")
        }
    }
}
