import Foundation
import Testing
@testable import QuarryCore

@Suite("ArticleFileReader")
struct ArticleFileReaderTests {
    @Test func readsEveryFixtureTextFile() throws {
        let (entries, _) = ArticleTestSupport.scan([ArticleTestSupport.fixtures])
        let texts = entries.filter { $0.kind == .text }
        #expect(texts.count == 10)
        for entry in texts {
            let article = try ArticleFileReader.readText(entry: entry).get()
            #expect(article.id == entry.relativePath)
            #expect(article.category == entry.category)
            #expect(!article.title.isEmpty)
            #expect(!article.body.isEmpty)
        }
        let ferry = try #require(texts.first { $0.relativePath == "world/001_ferry-strike.txt" })
        let article = try ArticleFileReader.readText(entry: ferry).get()
        #expect(article.category == "world")
        #expect(article.date?.iso == "2024-03-06")
    }

    @Test func readsJSONLinesThroughTheEntry() throws {
        let (entries, _) = ArticleTestSupport.scan([ArticleTestSupport.fixture("feeds/wire.jsonl")])
        let entry = try #require(entries.first)
        var ids: [String] = []
        var failures: [Int] = []
        try ArticleFileReader.readJSONLines(entry: entry) { line, result in
            switch result {
            case .success(let article): ids.append(article.id)
            case .failure(let error): failures.append(error.line)
            }
        }
        #expect(ids == ["w-1", "2", "w-5", "w-6"])
        #expect(failures == [4, 5])
    }

    /// The bad/ folder: each kind of broken file is skipped with the right reason.
    @Test func badFilesAreSkippedWithReasons() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            try ArticleTestSupport.write([], to: root, "bad/empty.txt")
            try ArticleTestSupport.write("  \n\t\r\n  ", to: root, "bad/blank.txt")
            try ArticleTestSupport.write(Array("Title\n\nBody".utf8) + [0, 0, 1, 2] + Array("more".utf8), to: root, "bad/binary.txt")
            try ArticleTestSupport.write(Array("Caf".utf8) + [0xE9] + Array(" au lait\n\nLatin-1 body.".utf8), to: root, "bad/latin1.txt")
            try ArticleTestSupport.write(String(repeating: "Too long. ", count: 200), to: root, "bad/huge.txt")
            try ArticleTestSupport.write("Headline\r\n\r\nLede line\r\n\r\nBody one.\r\nBody two.\r\n", to: root, "bad/crlf.txt")
            try ArticleTestSupport.write([0xEF, 0xBB, 0xBF] + Array("BOM headline\n\nBody.".utf8), to: root, "bad/bom.txt")

            let (entries, warnings) = ArticleTestSupport.scan([root], maxFileBytes: 1_000)
            #expect(warnings.map(\.reason) == [.tooLarge])
            var outcomes: [String: Result<Article, SkipReason>] = [:]
            for entry in entries { outcomes[entry.relativePath] = ArticleFileReader.readText(entry: entry) }
            #expect(outcomes.count == 6)
            #expect(outcomes["bad/empty.txt"]?.failureReason == .empty)
            #expect(outcomes["bad/blank.txt"]?.failureReason == .empty)
            #expect(outcomes["bad/binary.txt"]?.failureReason == .binary)
            #expect(outcomes["bad/latin1.txt"]?.failureReason == .invalidUTF8)

            let crlf = try #require(outcomes["bad/crlf.txt"]).get()
            #expect(crlf.title == "Headline" && crlf.standfirst == "Lede line" && crlf.body == "Body one.\n\nBody two.")
            #expect(crlf.category == "bad")
            let bom = try #require(outcomes["bad/bom.txt"]).get()
            #expect(bom.title == "BOM headline")
            #expect(bom.id == "bad/bom.txt")
        }
    }

    @Test func fileThatGrewOrVanishedAfterTheScan() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            let url = try ArticleTestSupport.write("Short\n\nBody", to: root, "x.txt")
            let (entries, _) = ArticleTestSupport.scan([root])
            let entry = try #require(entries.first)
            try ArticleTestSupport.write(String(repeating: "longer ", count: 100), to: root, "x.txt")
            #expect(ArticleFileReader.readText(entry: entry, maxFileBytes: 100).failureReason == .tooLarge)
            try FileManager.default.removeItem(at: url)
            #expect(ArticleFileReader.readText(entry: entry).failureReason == .unreadable)
        }
    }

    @Test func directoryOrMissingPathIsUnreadable() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            #expect(ArticleFileReader.readText(path: root.path, id: "d", category: nil).failureReason == .unreadable)
            #expect(ArticleFileReader.readText(path: root.path + "/missing.txt", id: "m", category: nil).failureReason
                == .unreadable)
        }
    }
}

extension Result where Failure == SkipReason {
    fileprivate var failureReason: SkipReason? {
        if case .failure(let reason) = self { return reason }
        return nil
    }
}
