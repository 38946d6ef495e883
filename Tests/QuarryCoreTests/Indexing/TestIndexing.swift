import Foundation
@testable import QuarryCore

/// Indexing for tests that need an index of their own: the real Indexer, one run, closed.
enum TestIndexing {
    @discardableResult
    static func index(_ roots: [URL], at path: String, configure: (inout IndexerOptions) -> Void = { _ in })
        throws -> IndexSummary
    {
        var options = IndexerOptions(databasePath: path)
        configure(&options)
        let indexer = try Indexer(options: options)
        let summary = try indexer.run(roots: roots)
        try indexer.close()
        return summary
    }
}
