import Foundation
@testable import QuarryCore
import QuarryTestSupport
import Testing

/// `cafe` finds "Café", `café` still finds only the accented spelling, and phrases match across spellings.
@Suite struct AccentFoldingTests {
    static func index() throws -> (TestCorpus, InProcessQuarry) {
        let corpus = try TestCorpus()
        try corpus.write("culture/a.txt", TestCorpus.article(
            title: "Café Noir opens in Montréal", standfirst: "A café for crème brûlée lovers.",
            paragraphs: ["The café noir opened on Monday in Montréal, São Paulo is next."]))
        try corpus.write("culture/b.txt", TestCorpus.article(
            title: "Cafe culture in the north", standfirst: "Why the corner cafe survives.",
            paragraphs: ["The cafe owners met on Monday."]))
        let indexer = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        _ = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        return (corpus, InProcessQuarry(path: corpus.databasePath))
    }

    @Test(arguments: [
        ("cafe", ["culture/a.txt", "culture/b.txt"]), ("café", ["culture/a.txt"]),
        ("montreal", ["culture/a.txt"]), ("Montréal", ["culture/a.txt"]), ("\"cafe noir\"", ["culture/a.txt"]),
        ("\"café noir\"", ["culture/a.txt"]), ("title:montreal", ["culture/a.txt"]), ("creme brulee", ["culture/a.txt"]),
        ("\"sao paulo\"", ["culture/a.txt"]), ("cafes", ["culture/a.txt", "culture/b.txt"]),
    ])
    func foldedAndExactSpellings(query: String, expected: [String]) async throws {
        let (corpus, quarry) = try Self.index()
        defer { withExtendedLifetime(corpus) {} }
        let found = try await quarry.search(SearchParameters(q: query, snippets: false)).hits.map(\.id)
        #expect(Set(found) == Set(expected), "\(query)")
    }

    @Test func onlyFreeTextTermsAreFolded() {
        #expect(AccentFolding.fold("café") == "cafe")
        #expect(AccentFolding.fold("Zcafé") == "Zcafe")
        #expect(AccentFolding.fold("Smontréal") == "Smontreal")
        #expect(AccentFolding.fold("ZAjosé") == "ZAjose")
        #expect(AccentFolding.fold("cafe") == nil, "nothing to fold")
        #expect(AccentFolding.fold("Qculture/café.txt") == nil, "ids stay exact")
        #expect(AccentFolding.fold("XCsciénce") == nil, "categories stay exact")
        #expect(AccentFolding.fold("’s") == nil)
    }
}
