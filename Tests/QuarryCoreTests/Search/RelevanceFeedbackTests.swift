import QuarryAPI
@testable import QuarryCore
import QuarryTestSupport
import Testing

/// Pseudo-relevance feedback (`feedback=true`; off by default): the top articles' best terms find an article
/// that says the same thing without the query's word, and the request's filters still hold.
@Suite struct RelevanceFeedbackTests {
    @Test func theTopArticlesTermsFindMoreAndFiltersStillHold() throws {
        let corpus = try TestCorpus()
        let shared = "gantry crane dockworkers container berth gantry crane container berth"
        try corpus.write("port/a.txt", TestCorpus.article(title: "Harbour news", standfirst: "The harbour.",
                                                          paragraphs: ["The harbour: \(shared)."]))
        try corpus.write("port/b.txt", TestCorpus.article(title: "Harbour again", standfirst: "At the harbour.",
                                                          paragraphs: ["Harbour \(shared)."]))
        try corpus.write("port/c.txt", TestCorpus.article(title: "Quayside", standfirst: "No word for it here.",
                                                          paragraphs: ["A \(shared) story."]))
        try corpus.write("inland/d.txt", TestCorpus.article(title: "Depot", standfirst: "Far from the sea.",
                                                            paragraphs: ["A \(shared) story."]))
        for number in 0..<8 {  // other articles, so the shared words are not in every document
            try corpus.write("other/\(number).txt", TestCorpus.article(
                title: "Orchard \(number)", standfirst: "Apples.", paragraphs: ["Apples and pears in the orchard."]))
        }
        try TestIndexing.index([corpus.corpus], at: corpus.databasePath) { $0.spelling = false }
        let searcher = try Searcher(path: corpus.databasePath)
        func ids(feedback: Bool?, categories: [String] = []) throws -> [String] {
            try searcher.search(SearchRequest(q: "harbour", limit: 20, categories: categories, snippets: false,
                                              feedback: feedback)).hits.map(\.id)
        }
        #expect(Set(try ids(feedback: nil)) == ["port/a.txt", "port/b.txt"], "off by default")
        #expect(Set(try ids(feedback: false)) == ["port/a.txt", "port/b.txt"])
        let expanded = try ids(feedback: true)
        #expect(Set(expanded.prefix(2)) == ["port/a.txt", "port/b.txt"], "the query's own matches first: \(expanded)")
        #expect(Set(expanded) == ["port/a.txt", "port/b.txt", "port/c.txt", "inland/d.txt"], "\(expanded)")
        #expect(Set(try ids(feedback: true, categories: ["port"])) == ["port/a.txt", "port/b.txt", "port/c.txt"])
    }
}
