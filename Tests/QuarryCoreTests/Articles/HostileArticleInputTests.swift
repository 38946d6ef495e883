import Foundation
import Testing
@testable import QuarryCore

/// Input written to hurt: ids that look like paths or carry control characters, and JSON Lines lines far
/// longer than any article. Each is refused with a reason or kept as a plain id; reading goes on.
@Suite("Hostile article input")
struct HostileArticleInputTests {
    private typealias Line = (number: Int, result: Result<Article, JSONLineError>)

    private func readAll(_ url: URL, chunkSize: Int, maxLineBytes: Int) throws -> [Line] {
        var reader = JSONLinesReader(url: url)
        reader.chunkSize = chunkSize
        reader.maxLineBytes = maxLineBytes
        var lines: [Line] = []
        try reader.read { lines.append(($0, $1)) }
        return lines
    }

    @Test(arguments: ["../x", "/etc/passwd", "a/../../b", "..", "./", "~root/.ssh/id_rsa", " ", "é/日本/😀",
                      String(repeating: "x", count: ArticleID.maxBytes)])
    func pathLikeIdsAreJustIds(id: String) throws {
        #expect(ArticleID.problem(with: id) == nil)
        let json = String(decoding: try JSONEncoder().encode(["id": id, "title": "T"]), as: UTF8.self)
        #expect(try JSONLinesReader.parseLine(json).get().id == id)
    }

    @Test(arguments: ["a\u{0}b", "line\nbreak", "\u{1B}[2Jwiped", "tab\there", "del\u{7F}", "c1\u{85}",
                      String(repeating: "x", count: ArticleID.maxBytes + 1)])
    func idsWithControlCharactersOrTooLongAreRefused(id: String) throws {
        let problem = try #require(ArticleID.problem(with: id))
        let json = String(decoding: try JSONEncoder().encode(["id": id, "title": "T"]), as: UTF8.self)
        let error = try #require(JSONLinesReader.parseLine(json, lineNumber: 3).failureForTest)
        #expect(error.reason == .invalidID)
        #expect(error.message == "line 3: field \"id\": " + problem)
        // The message never carries the raw control character itself.
        #expect(!error.message.unicodeScalars.contains(where: ControlCharacters.isControl))
    }

    @Test func textFileNamedWithControlCharactersIsRefused() throws {
        try ArticleTestSupport.withTemporaryDirectory { root in
            let url = try ArticleTestSupport.write("Title\n\nBody", to: root, "news/evil\u{1B}[2J.txt")
            #expect(ArticleFileReader.readText(path: url.path, id: "news/evil\u{1B}[2J.txt", category: "news")
                == .failure(.invalidID))
            #expect(try ArticleFileReader.readText(path: url.path, id: "news/../x.txt", category: "news").get().id
                == "news/../x.txt")
        }
    }

    @Test func warningsEscapeControlCharacters() {
        let warning = IndexWarning(path: "/c/evil\u{1B}[2J\n.txt", line: 4, reason: .invalidID, message: "invalid id")
        #expect(warning.description == "/c/evil\\u{1B}[2J\\u{A}.txt:4: invalid id")
        let corpus = CorpusWarning(path: "/c/a\u{7}.txt", reason: .unreadable, message: "cannot read")
        #expect(corpus.description == "/c/a\\u{7}.txt: cannot read")
        #expect(ControlCharacters.escaping("plain é 日本") == "plain é 日本")
    }

    /// A line over the limit is reported with its number and dropped as it streams past; the lines around it
    /// are read as usual, whatever the chunk size (the line may end inside a chunk or span many).
    @Test(arguments: [1, 7, 64, 1 << 20])
    func overlongLineIsSkippedAndTheOthersRead(chunkSize: Int) throws {
        try ArticleTestSupport.withTemporaryDirectory { directory in
            let huge = #"{"id": "big", "title": "Big", "text": ""# + String(repeating: "word ", count: 400) + #""}"#
            let lines = [
                #"{"id": "1", "title": "before"}"#, huge, #"{"id": "3", "title": "after"}"#, huge,
                #"{"id": "5", "title": "last"}"#,
            ]
            let url = try ArticleTestSupport.write(lines.joined(separator: "\n"), to: directory, "long.jsonl")
            let read = try readAll(url, chunkSize: chunkSize, maxLineBytes: 500)
            #expect(read.map(\.number) == [1, 2, 3, 4, 5])
            #expect(read.compactMap { try? $0.result.get().title } == ["before", "after", "last"])
            for index in [1, 3] {
                let error = try #require(read[index].result.failureForTest)
                #expect(error.reason == .tooLarge)
                #expect(error.message == "line \(index + 1): line longer than 500 bytes")
            }
            // Within the limit, the same line is an article.
            let relaxed = try readAll(url, chunkSize: chunkSize, maxLineBytes: huge.utf8.count)
            #expect(relaxed.compactMap { try? $0.result.get().id } == ["1", "big", "3", "big", "5"])
        }
    }

    /// An unterminated last line over the limit (a file that is one giant line) is one failure, not a crash.
    @Test func fileThatIsOneGiantLine() throws {
        try ArticleTestSupport.withTemporaryDirectory { directory in
            let url = try ArticleTestSupport.write([UInt8](repeating: 0, count: 5_000), to: directory, "zeros.jsonl")
            let read = try readAll(url, chunkSize: 256, maxLineBytes: 1_000)
            #expect(read.map(\.number) == [1])
            #expect(read.first?.result.failureForTest?.reason == .tooLarge)
        }
    }

    /// Raw NUL bytes make a line binary, before any JSON parsing (which would otherwise take them as text).
    @Test func lineWithNULBytesIsBinary() throws {
        try ArticleTestSupport.withTemporaryDirectory { directory in
            let bytes = Array(#"{"id": "a", "title": "x"#.utf8) + [0, 0, 0] + Array("\"}\n".utf8)
                + Array(#"{"id": "b", "title": "fine"}"#.utf8)
            let url = try ArticleTestSupport.write(bytes, to: directory, "nul.jsonl")
            let read = try readAll(url, chunkSize: 1 << 20, maxLineBytes: JSONLinesReader.defaultMaxLineBytes)
            #expect(read.first?.result.failureForTest
                == JSONLineError(line: 1, reason: .binary, detail: "binary content (NUL bytes)"))
            #expect(try read.last?.result.get().id == "b")
        }
    }

    @Test func brokenLineInTheMiddle() throws {
        try ArticleTestSupport.withTemporaryDirectory { directory in
            var lines = (1...9).map { #"{"id": "n\#($0)", "title": "Story \#($0)"}"# }
            lines[4] = #"{"id": "n5", "title": "cut off her"#
            let url = try ArticleTestSupport.write(lines.joined(separator: "\n") + "\n", to: directory, "feed.jsonl")
            let read = try readAll(url, chunkSize: 1 << 20, maxLineBytes: JSONLinesReader.defaultMaxLineBytes)
            #expect(read.compactMap { try? $0.result.get().id } == ["n1", "n2", "n3", "n4", "n6", "n7", "n8", "n9"])
            let broken = try #require(read[4].result.failureForTest)
            #expect(broken.line == 5 && broken.reason == .malformedJSON)
            #expect(broken.message.hasPrefix("line 5: malformed JSON"))
        }
    }
}

extension Result where Failure == JSONLineError {
    fileprivate var failureForTest: JSONLineError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
