import Foundation
import QuarryTestSupport
import Testing
@testable import QuarryCore
import Xapian

/// An index keeps the language, stemming and title weight it was created with (IndexSettings), and every
/// stemming strategy gets the same spelling data: the words as written.
@Suite struct IndexSettingsTests {
    func makeCorpus() throws -> TestCorpus {
        let corpus = try TestCorpus()
        try corpus.write("world/floods.txt", TestCorpus.article(
            title: "Rivers flooding the northern towns",
            standfirst: "Residents were moving to higher ground.",
            paragraphs: ["The river floods every spring.", "Engineers inspected the flooded bridges."]))
        try corpus.write("wire.jsonl", """
            {"id": "w1", "title": "Astronomers tracking a comet", "text": "The comet was tracked over the hills."}
            {"id": "w2", "title": "Rowing finals tonight", "text": "Crews are preparing for the final races."}

            """)
        return corpus
    }

    @discardableResult
    func index(_ corpus: TestCorpus, into path: String? = nil, configure: (inout IndexerOptions) -> Void = { _ in })
        throws -> IndexSummary
    {
        var options = IndexerOptions(databasePath: path ?? corpus.databasePath)
        configure(&options)
        let indexer = try Indexer(options: options)
        let summary = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        return summary
    }

    /// A later run without the options indexes its new articles as the first run did: the same documents as a
    /// new index built with those settings from the start (the run used `some` and weight 2 before the fix).
    @Test(arguments: [1, 2])
    func aLaterRunIndexesWithTheSettingsTheIndexWasCreatedWith(jobs: Int) throws {
        let corpus = try makeCorpus()
        try index(corpus) { $0.stemming = .allZ; $0.titleWeight = 3; $0.jobs = jobs }
        try corpus.write("world/storm.txt", TestCorpus.article(
            title: "Storms batter the coast", standfirst: "Harbour walls held.", paragraphs: ["Waves were rising."]))
        let summary = try index(corpus) { $0.jobs = jobs; $0.parallelUpdateShare = jobs > 1 ? 0 : .infinity }
        #expect(summary.added == 1)

        let fresh = corpus.root.path + "/fresh"
        try index(corpus, into: fresh) { $0.stemming = .allZ; $0.titleWeight = 3; $0.jobs = jobs }
        let updated = try IndexByID(path: corpus.databasePath), expected = try IndexByID(path: fresh)
        #expect(updated.documents.count == 4)
        #expect(updated.documents == expected.documents)
        #expect(updated.spellings == expected.spellings)
        let storm = try #require(updated.documents[IndexSchema.uniqueTerm(for: "world/storm.txt")])
        #expect(storm.terms["Zstorm"]?.wdf == 3 && storm.terms["storms"] == nil)
    }

    @Test func askingAnIndexForOtherSettingsIsAnError() throws {
        let corpus = try makeCorpus()
        try index(corpus) { $0.stemming = .allZ; $0.titleWeight = 3 }
        #expect {
            try index(corpus) { $0.stemming = .some }
        } throws: { error in
            "\(error)" == "\(corpus.databasePath) was built with --stemming all_z, not some: an index keeps what it "
                + "was created with (use a new --db, or leave --stemming out)"
        }
        #expect {
            try index(corpus) { $0.titleWeight = 2 }
        } throws: { error in
            "\(error)".hasPrefix("\(corpus.databasePath) was built with --title-weight 3, not 2:")
        }
        #expect(try index(corpus) { $0.stemming = .allZ; $0.titleWeight = 3 }.unchanged == 3)
        let database = try Database(path: corpus.databasePath)
        #expect(try database.metadata(IndexSchema.Metadata.stemming) == String(StemmingStrategy.allZ.rawValue))
        #expect(try database.metadata(IndexSchema.Metadata.titleWeight) == "3")
    }

    /// `all` and `all_z` index stems only, so the words come from the text itself: the same spelling data as
    /// `some` builds, on one writer and on two.
    static let stemsOnlyAndNone: [StemmingStrategy] = [.all, .allZ, .none]
    @Test(arguments: Self.stemsOnlyAndNone, [1, 2])
    func everyStrategyMakesSpellingDataOfTheWordsAsWritten(stemming: Xapian.StemmingStrategy, jobs: Int) throws {
        let corpus = try makeCorpus()
        let reference = corpus.root.path + "/some"
        try index(corpus, into: reference) { $0.jobs = jobs }
        try index(corpus) { $0.stemming = stemming; $0.jobs = jobs }
        let expected = try Database(path: reference).spellings()
        #expect(expected.contains { $0.term == "flooding" })
        let database = try Database(path: corpus.databasePath)
        #expect(try database.spellings() == expected)
        #expect(try database.spellingSuggestion(for: "astronomrs") == "astronomers")
    }

    /// A run killed before writing its words is made up for from the stored articles when the index keeps no
    /// word as written: the same spelling data as a clean build.
    static let someAndAllZ: [StemmingStrategy] = [.some, .allZ]
    @Test(arguments: Self.someAndAllZ)
    func aKilledRunsSpellingIsMadeUpForWhateverTheStrategy(stemming: Xapian.StemmingStrategy) throws {
        let corpus = try makeCorpus()
        try index(corpus) { $0.stemming = stemming; $0.spelling = false }
        do {
            let database = try WritableDatabase(path: corpus.databasePath, mode: .open)
            try database.setMetadata(IndexSchema.Metadata.spellingPending, "1")
            try database.commit()
            try database.close()
        }
        #expect(try index(corpus).unchanged == 3)
        let clean = corpus.root.path + "/clean"
        try index(corpus, into: clean) { $0.stemming = stemming }
        let spellings = try Database(path: corpus.databasePath).spellings()
        #expect(!spellings.isEmpty)
        #expect(spellings == (try Database(path: clean).spellings()))
    }
}
