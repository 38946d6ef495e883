import Foundation
import QuarryTestSupport
import Testing
import Xapian

/// What an interrupted or failed `quarry-index` run over a `GeneratedCorpus` may leave behind: its last
/// commit, whole. A fresh index is built in article order and commits every `batchSize` documents, so a
/// commit holds exactly the first k × batchSize articles (or all of them) as docids 1...n, each document
/// equal to the clean build's, and the spelling data holds the words of exactly those articles (or, marked
/// pending, of no more than those: a run's words go in with its last commit).
struct CommittedIndexCheck {
    /// A clean, uninterrupted build of the whole corpus.
    let reference: IndexContents
    let corpus: GeneratedCorpus
    let batchSize: Int

    /// Set while a run's words are not yet in the spelling data (IndexSchema.Metadata.spellingPending).
    static let spellingPending = "quarry.spelling_pending"

    /// Checks the index at `path`; returns how many documents it holds (0 when no commit was made yet).
    @discardableResult
    func verify(_ path: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        // Killed before the database's first file was written: nothing to check, nothing lost.
        guard FileManager.default.fileExists(atPath: path + "/iamglass") else { return 0 }

        try Self.xapianCheck(path, context, sourceLocation: sourceLocation)

        let held = try IndexContents(path: path)
        let count = held.documents.count
        let total = reference.documents.count
        #expect(count % batchSize == 0 || count == total,
                "\(context): \(count) documents is not a commit point (every \(batchSize), or \(total))",
                sourceLocation: sourceLocation)
        #expect(held.lastDocumentID == DocumentID(count),
                "\(context): last docid \(held.lastDocumentID) with \(count) documents", sourceLocation: sourceLocation)
        let differences = held.documentDifferences(from: Array(reference.documents.prefix(count)))
        #expect(differences.isEmpty, "\(context): \(differences.joined(separator: "; "))", sourceLocation: sourceLocation)
        // Each article's unique token is in its title and body: spelling frequency 2, for held articles only.
        // The indexer writes a run's words in the run's last commit: a run killed before that leaves
        // `quarry.spelling_pending` set and only earlier runs' words (here: none of this run's), which the next
        // run makes up for (the re-run's check: equal to a clean build, spelling data included).
        let expectedTokens = corpus.articles.prefix(count).map { TermCount(term: $0.token, count: 2) }
            .sorted { $0.term < $1.term }
        let heldTokens = held.spellings.filter { $0.term.hasPrefix(GeneratedCorpus.tokenPrefix) }
        let pending = held.metadata[Self.spellingPending] == "1"
        if pending {
            #expect(Set(heldTokens.map(\.term)).isSubset(of: expectedTokens.map(\.term)),
                    "\(context): spelling data holds tokens of documents it does not hold", sourceLocation: sourceLocation)
        } else {
            let firstDifference = zip(heldTokens, expectedTokens).first { $0 != $1 }.map { "\($0)" } ?? "in length"
            #expect(heldTokens == expectedTokens,
                    "\(context): spelling data holds \(heldTokens.count) tokens for \(count) documents (\(firstDifference))",
                    sourceLocation: sourceLocation)
        }
        if count > 0 {
            var metadata = held.metadata
            metadata[Self.spellingPending] = nil
            #expect(metadata == reference.metadata, "\(context): metadata \(held.metadata)",
                    sourceLocation: sourceLocation)
        }
        return count
    }

    /// Runs `xapian-check` on the index, which must find no errors.
    static func xapianCheck(_ path: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let checker = try #require(Executables.xapianTool("xapian-check"),
                                   "xapian-tools is not installed: run scripts/setup", sourceLocation: sourceLocation)
        let check = try Executables.run(checker, [path])
        #expect(check.status == 0 && check.stdout.contains("No errors found"),
                "\(context): xapian-check \(path) failed:\n\(check.stdout)\(check.stderr)", sourceLocation: sourceLocation)
    }
}
