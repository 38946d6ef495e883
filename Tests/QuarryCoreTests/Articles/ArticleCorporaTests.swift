import Foundation
import Testing
@testable import QuarryCore

/// Checks against the real corpora in ../shared/corpora (licensed data: read in place, never copied).
/// Each test is disabled, with a printed note, when the corpora are absent.
@Suite("Article readers on the shared corpora")
struct ArticleCorporaTests {
    static let seedPath = "seed-article/txt/world/000_7a2cba55adf5e13e.txt"

    @Test(.enabled(if: ArticleTestSupport.corporaFileExists(seedPath), "needs ../shared/corpora/seed-article"))
    func seedArticle() throws {
        let (entries, warnings) = ArticleTestSupport.scan([ArticleTestSupport.corporaFile("seed-article/txt")])
        #expect(warnings.isEmpty)
        let entry = try #require(entries.first)
        #expect(entry.relativePath == "world/000_7a2cba55adf5e13e.txt")
        let article = try ArticleFileReader.readText(entry: entry).get()
        #expect(article.title == "US 'in constant talks with Israel' before expected Gaza invasion")
        #expect(article.standfirst?.hasPrefix("Families of hostages plead") == true)
        #expect(article.date == ArticleDate(year: 2023, month: 10, day: 24))
        #expect(article.date?.yyyymmdd == "20231024")
        #expect(article.category == "world")
        #expect(article.body.hasPrefix("Destroyed buildings in Al Remal")) // the caption stays
        #expect(article.body.contains("EPA\n\nThe US is in constant communication"))
        for dropped in ["Powered by automated translation", "Updated:", "Live updates:", "– in pictures"] {
            #expect(!article.body.contains(dropped), "\(dropped)")
        }
        #expect(article.body.contains("“We are talking to them")) // curly quotes kept
        #expect(article.body.hasSuffix("Mr Kirby said."))
    }

    @Test(.enabled(if: ArticleTestSupport.corporaFileExists("bbc-news/txt/business/001.txt"), "needs ../shared/corpora/bbc-news"))
    func bbcNewsTextFiles() throws {
        let clock = ContinuousClock()
        var entries: [CorpusEntry] = []
        var warnings: [CorpusWarning] = []
        let scanTime = clock.measure {
            (entries, warnings) = ArticleTestSupport.scan([ArticleTestSupport.corporaFile("bbc-news/txt")])
        }
        #expect(warnings.isEmpty)
        #expect(entries.count == 2_225)
        #expect(Set(entries.compactMap(\.category)) == ["business", "entertainment", "politics", "sport", "tech"])

        var failures: [String: SkipReason] = [:]
        var articles = 0
        let readTime = clock.measure {
            for entry in entries {
                switch ArticleFileReader.readText(entry: entry) {
                case .success(let article):
                    articles += 1
                    if article.title.isEmpty || article.text.isEmpty { failures[entry.relativePath] = .empty }
                case .failure(let reason):
                    failures[entry.relativePath] = reason
                }
            }
        }
        print("bbc-news: scanned 2,225 files in \(scanTime), read and parsed them in \(readTime)")
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(articles == 2_225)

        let first = try #require(entries.first { $0.relativePath == "business/001.txt" })
        let article = try ArticleFileReader.readText(entry: first).get()
        #expect(article.title == "Ad sales boost Time Warner profit")
        #expect(article.date == nil)
        #expect(article.category == "business")
        #expect(article.text.hasPrefix("Quarterly profits at US media giant TimeWarner"))
    }

    /// 21,578 Reuters stories read whole. (Its speed is measured by Benchmarks/bench, not here.)
    @Test(.enabled(if: ArticleTestSupport.corporaFileExists("reuters21578/docs.jsonl"), "needs ../shared/corpora/reuters21578"))
    func reutersThroughput() throws {
        let url = ArticleTestSupport.corporaFile("reuters21578/docs.jsonl")
        var good = 0
        var dated = 0
        var failures: [JSONLineError] = []
        let elapsed = try ContinuousClock().measure {
            try JSONLinesReader(url: url).read { _, result in
                switch result {
                case .success(let article):
                    good += 1
                    if article.date != nil { dated += 1 }
                case .failure(let error):
                    failures.append(error)
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(good + failures.count) / max(seconds, 1e-9)
        print("reuters21578: \(good) articles, \(failures.count) skipped, in \(elapsed) = \(Int(rate)) lines/s")
        // NEWID 12793 has neither title nor text in the source.
        #expect(failures.map(\.reason) == [.empty])
        #expect(good == 21_577)
        #expect(dated == good) // every story has a parseable date
    }

    @Test(.enabled(if: ArticleTestSupport.corporaFileExists("README.md"), "needs ../shared/corpora"))
    func scanWholeCorporaFolder() {
        var entries = 0
        var warnings: [CorpusWarning] = []
        let elapsed = ContinuousClock().measure {
            CorpusScanner(roots: [ArticleTestSupport.corpora], maxFileBytes: 64 << 20)
                .scan({ _ in entries += 1 }, warn: { warnings.append($0) })
        }
        print("corpora: \(entries) article files listed in \(elapsed), \(warnings.count) warnings")
        #expect(entries > 2_000)
        #expect(warnings.isEmpty, "\(warnings.prefix(3))")
    }
}
