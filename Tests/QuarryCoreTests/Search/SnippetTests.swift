import Foundation
@testable import QuarryCore
import QuarryTestSupport
import Testing
import Xapian

/// Snippets built from a window of the text (SnippetWindow) and with the cached, filtered stemmer (the shim's
/// CachingStem) highlight what Xapian highlights on the whole text: every matched word, stemmed forms,
/// wildcard expansions and whole phrases, also when the only match is far into a long article.
@Suite struct SnippetTests {
    /// The highlighted words of a snippet, lower-cased, in order.
    static func highlights(_ snippet: String?) -> [String] {
        guard let snippet else { return [] }
        var result: [String] = []
        var rest = Substring(snippet)
        while let open = rest.range(of: "<b>"), let close = rest[open.upperBound...].range(of: "</b>") {
            result.append(contentsOf: rest[open.upperBound..<close.lowerBound].lowercased()
                .split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
            rest = rest[close.upperBound...]
        }
        return result
    }

    static func search(_ searcher: Searcher, _ q: String, limit: Int = 10) throws -> [SearchHit] {
        try searcher.search(SearchRequest(q: q, limit: limit)).hits
    }

    /// A searcher that hands Xapian the whole text, as before windows.
    static func wholeText(_ path: String) throws -> Searcher {
        var settings = SearchSettings()
        settings.snippetWindowBytes = Int.max
        return try Searcher(path: path, settings: settings)
    }

    @Test(arguments: ["harbour", "cranes", "cycle lanes", "\"cycle lanes\"", "crane*", "council budget", "rain",
                      "bikes", "the city"])
    func fixturesHighlightAsOnTheWholeText(query: String) throws {
        let windowed = try Self.search(FixtureIndex.searcher(), query, limit: 100)
        let whole = try Self.search(Self.wholeText(FixtureIndex.databasePath), query, limit: 100)
        #expect(windowed.map(\.id) == whole.map(\.id))
        for (w, h) in zip(windowed, whole) {
            #expect(Set(Self.highlights(w.snippet)) == Set(Self.highlights(h.snippet)), "\(query): \(w.id)")
            if Self.highlights(h.snippet).isEmpty == false { #expect(!Self.highlights(w.snippet).isEmpty) }
        }
    }

    /// Long articles whose only match lies far beyond the first window.
    static func longCorpus() throws -> TestCorpus {
        let corpus = try TestCorpus()
        let filler = (0..<400).map { i in ["Markets were quiet", "traders waited for data", "prices held steady",
                                           "volume was thin"][i % 4] }.joined(separator: ". ") + ". "
        try corpus.write("world/far.txt", "Quiet day\n\n" + filler
            + "Late in the day the harbour cranes were flooded when the coastal road gave way. " + filler)
        try corpus.write("world/split.txt", "Another day\n\nThe coastal towns said the road was fine. " + filler
            + "Then the coastal road flooding began near the harbour. " + filler)
        try corpus.write("world/accents.txt", "Café news\n\n" + filler + "The café société opened its doors. "
            + filler)
        // Articles without the query words, so that those words are rare enough to weigh (BM25's idf).
        for i in 0..<8 {
            try corpus.write("sport/\(i).txt", "Match \(i)\n\nThe team won again. " + filler)
        }
        let indexer = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        _ = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        return corpus
    }

    @Test func farMatchesAreHighlighted() throws {
        let corpus = try Self.longCorpus()
        defer { withExtendedLifetime(corpus) {} }
        let searcher = try Searcher(path: corpus.databasePath)
        let whole = try Self.wholeText(corpus.databasePath)
        let cases: [(String, [String])] = [
            ("cranes", ["cranes"]), ("crane", ["cranes"]), ("flooding", ["flooded", "flooding"]),
            ("harb*", ["harbour"]), ("\"coastal road\"", ["coastal", "road"]), ("coastal road", ["coastal", "road"]),
            ("société", ["société"]), ("SOCIETE", []), ("cafe", []),
        ]
        for (query, expected) in cases {
            let hits = try Self.search(searcher, query)
            let reference = try Self.search(whole, query)
            #expect(hits.map(\.id) == reference.map(\.id), "\(query)")
            for (hit, ref) in zip(hits, reference) {
                let found = Set(Self.highlights(hit.snippet))
                #expect(found == Set(Self.highlights(ref.snippet)), "\(query) \(hit.id): \(hit.snippet ?? "")")
                if !expected.isEmpty {
                    #expect(!found.isDisjoint(with: expected), "\(query) \(hit.id): \(hit.snippet ?? "")")
                }
                // Text goes on before and after the window: the snippet says so.
                #expect(expected.isEmpty || hit.snippet?.hasPrefix("…") == true && hit.snippet?.hasSuffix("…") == true,
                        "\(query) \(hit.id): \(hit.snippet ?? "")")
                #expect((hit.snippet?.count ?? 0) <= 240 + 40)
            }
        }
    }

    @Test func aPhraseWinsOverItsWordsApart() throws {
        let corpus = try Self.longCorpus()
        defer { withExtendedLifetime(corpus) {} }
        let hits = try Self.search(Searcher(path: corpus.databasePath), "\"coastal road\"")
        let split = try #require(hits.first { $0.id.hasSuffix("split.txt") })
        #expect(split.snippet?.contains("flooding") == true, "the window holds the phrase: \(split.snippet ?? "")")
    }

    @Test func windowsCutAtWhitespaceAroundTheDensestFinds() throws {
        let window = SnippetWindow(query: "coastal road", stemmer: try Stem(language: "english"), stopwords: [],
                                   size: 100)
        let text = String(repeating: "x ", count: 200) + "coastal " + String(repeating: "y ", count: 100)
            + "coastal road " + String(repeating: "z ", count: 200)
        let part = try #require(window.window(in: text))
        #expect(part.text.contains("coastal road"))
        #expect(part.cutBefore && part.cutAfter)
        #expect(part.text.first != " " && part.text.last != " ")
        #expect(part.text.utf8.count <= 100)
        #expect(window.window(in: "short coastal road") == nil)
        #expect(window.window(in: String(repeating: "nothing here ", count: 50)) == nil, "no find: whole text")
    }

    @Test func storedFieldsAreReadWithoutExtra() throws {
        let stored = StoredData(id: "a/1", title: "T", standfirst: "S", body: "B \"q\"\n", date: nil,
                                category: "c", url: "u", extra: ["topics": .array([.string("x\"]"), .number(1)]),
                                                                 "n": .object(["k": .null, "b": .bool(true)])])
        let source = try SnippetSource(stored.encoded())
        #expect(source.summary == HitSummary(stored))
        #expect(source.text == stored.text)
    }
}
