import Foundation
import Testing
@testable import QuarryCore

@Suite("JSONLinesReader")
struct JSONLinesReaderTests {
    private typealias Line = (number: Int, result: Result<Article, JSONLineError>)

    private func readAll(_ url: URL, chunkSize: Int = 1 << 20) throws -> [Line] {
        var reader = JSONLinesReader(url: url)
        reader.chunkSize = chunkSize
        var lines: [Line] = []
        try reader.read { lines.append(($0, $1)) }
        return lines
    }

    @Test func fixtureFile() throws {
        let lines = try readAll(ArticleTestSupport.fixture("feeds/wire.jsonl"))
        // Line 2 is blank: skipped, but still counted.
        #expect(lines.map(\.number) == [1, 3, 4, 5, 6, 7])

        let first = try lines[0].result.get()
        #expect(first.id == "w-1")
        #expect(first.title == "Port reopens after storm")
        #expect(first.body == "The port reopened on Friday.\n\nShips queued overnight.")
        #expect(first.standfirst == nil)
        #expect(first.text == first.body)
        #expect(first.date == ArticleDate(year: 2024, month: 1, day: 12))
        #expect(first.category == "world")
        #expect(first.url == "https://example.test/w-1")
        #expect(first.author == "Ana Reyes")
        #expect(first.extra.isEmpty)

        // Numeric id, title from the text's first line, prose date, extra fields kept with their types.
        let second = try lines[1].result.get()
        #expect(second.id == "2")
        #expect(second.title == "Grain prices steady as harvest ends")
        #expect(second.body.hasPrefix("Grain prices steady"))
        #expect(second.date == ArticleDate(year: 2024, month: 1, day: 13))
        #expect(second.extra == [
            "topics": .array([.string("grain"), .string("prices")]), "wordCount": .number(9),
            "flagged": .bool(false), "note": .null,
        ])

        // The broken line is reported with its number; reading went on.
        let broken = try #require(lines[2].result.failureForTest)
        #expect(broken.line == 4)
        #expect(broken.reason == .malformedJSON)
        #expect(broken.message.hasPrefix("line 4: malformed JSON"))

        let missing = try #require(lines[3].result.failureForTest)
        #expect(missing == JSONLineError(line: 5, reason: .missingField, detail: #"missing field "id""#))

        let unicode = try lines[4].result.get()
        #expect(unicode.title == "Café owners in Zürich welcome “car-free” Sundays")
        #expect(unicode.body == "Öffnungszeiten bleiben gleich – 日本語 😀 é😀")
        #expect(unicode.date == nil)
        #expect(unicode.extra["date"] == .string("not a date")) // kept, not an error
        #expect(unicode.category == nil)

        let emptyText = try lines[5].result.get()
        #expect(emptyText.title == "Empty text is fine" && emptyText.body.isEmpty)
        #expect(emptyText.date == ArticleDate(year: 2024, month: 1, day: 15))
    }

    @Test func smallChunksGiveTheSameResult() throws {
        let url = ArticleTestSupport.fixture("feeds/wire.jsonl")
        let whole = try readAll(url)
        for chunkSize in [0, 1, 2, 7, 64] {
            let chunked = try readAll(url, chunkSize: chunkSize)
            #expect(chunked.map(\.number) == whole.map(\.number))
            #expect(chunked.map { $0.result } == whole.map { $0.result })
        }
    }

    @Test func resumingFromAnyCheckpointGivesTheRestOfTheLines() throws {
        let url = ArticleTestSupport.fixture("feeds/wire.jsonl")
        let bytes = try Array(Data(contentsOf: url))
        for chunkSize in [1, 7, 1 << 20] {
            var reader = JSONLinesReader(url: url)
            reader.chunkSize = chunkSize
            reader.maxLineBytes = 120  // a long line is dropped, yet its checkpoint is exact
            var lines: [JSONLine] = []
            #expect(try reader.read(from: nil) { lines.append($0); return true } == .finished)
            for (index, line) in lines.enumerated() {
                guard let checkpoint = line.checkpoint else { continue }
                #expect(checkpoint.lines == line.number)
                #expect(bytes[checkpoint.offset - 1] == 0x0A, "a checkpoint is just after a newline")
                var prefix = PrefixFingerprint()
                prefix.update(Array(bytes[..<checkpoint.offset]))
                #expect(checkpoint.position.fingerprint == prefix.digest)
                var rest: [JSONLine] = []
                #expect(try reader.read(from: checkpoint.position) { rest.append($0); return true } == .finished)
                #expect(rest.map(\.number) == lines[(index + 1)...].map(\.number))
                #expect(rest.map(\.result) == lines[(index + 1)...].map(\.result))
                #expect(rest.map { $0.checkpoint?.position } == lines[(index + 1)...].map { $0.checkpoint?.position })
            }
            // A stored position past the end, or whose bytes differ, reads nothing.
            let last = try #require(lines.last { $0.checkpoint != nil }?.checkpoint?.position)
            var changed = last
            changed.fingerprint = PrefixFingerprint().digest
            #expect(try reader.read(from: changed) { _ in Issue.record("read a line"); return true } == .prefixChanged)
            var beyond = last
            beyond.offset = bytes.count + 1
            #expect(try reader.read(from: beyond) { _ in Issue.record("read a line"); return true } == .prefixChanged)
            // Stopping: the line that said stop was the last one handed over.
            var seen = 0
            #expect(try reader.read(from: nil) { _ in seen += 1; return seen < 2 } == .stopped)
            #expect(seen == 2)
        }
    }

    @Test func prefixFingerprintDoesNotDependOnHowTheBytesArrive() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var whole = PrefixFingerprint()
        whole.update(bytes)
        for split in [1, 3, 8, 13, 999] {
            var parts = PrefixFingerprint()
            var start = 0
            while start < bytes.count {
                parts.update(Array(bytes[start..<min(start + split, bytes.count)]))
                start += split
            }
            #expect(parts.digest == whole.digest)
        }
        var edited = bytes
        edited[500] ^= 1
        var other = PrefixFingerprint()
        other.update(edited)
        #expect(other.digest != whole.digest)
        var shorter = PrefixFingerprint()
        shorter.update(Array(bytes.dropLast()))
        #expect(shorter.digest != whole.digest)
    }

    @Test func fieldRules() throws {
        func parse(_ line: String) -> Result<Article, JSONLineError> { JSONLinesReader.parseLine(line, lineNumber: 17) }

        #expect(parse(#"{"title": "t", "text": "x"}"#).failureForTest?.message == #"line 17: missing field "id""#)
        #expect(parse(#"{"id": "", "title": "t"}"#).failureForTest?.reason == .missingField)
        #expect(parse(#"{"id": null, "title": "t"}"#).failureForTest?.reason == .missingField)
        #expect(parse(#"{"id": ["a"], "title": "t"}"#).failureForTest?.reason == .missingField)
        #expect(parse(#"{"id": "a"}"#).failureForTest?.message == #"line 17: missing field "title""#)
        #expect(parse(#"{"id": "a", "title": 5}"#).failureForTest?.reason == .missingField)
        #expect(parse(#"{"id": "a", "title": "t", "text": {"x": 1}}"#).failureForTest?.reason == .missingField)
        #expect(parse(#"{"id": "a", "title": "", "text": "  \n "}"#).failureForTest?.reason == .empty)
        #expect(parse(#"["id", "title"]"#).failureForTest?.reason == .malformedJSON)
        #expect(parse(#"{"id": "a", "title": "t"} trailing"#).failureForTest?.reason == .malformedJSON)

        #expect(try parse(#"{"id": 12, "title": "t"}"#).get().id == "12")
        #expect(try parse(#"{"id": 1.5, "title": "t"}"#).get().id == "1.5")
        #expect(try parse(#"{"id": "a", "text": "Only text\nmore"}"#).get().title == "Only text")
        #expect(try parse(#"{"id": "a", "title": "  Padded title  "}"#).get().title == "Padded title")
        #expect(try parse(#"{"id": "a", "title": "t", "date": "1987-02-26"}"#).get().date?.iso == "1987-02-26")
        #expect(try parse(#"{"id": "a", "title": "t", "date": "26 Feb 1987"}"#).get().date?.iso == "1987-02-26")
        #expect(try parse(#"{"id": "a", "title": "t", "date": null}"#).get().extra.isEmpty)
        #expect(try parse(#"{"id": "a", "title": "t", "date": "2023-02-30"}"#).get().date == nil)
        #expect(try parse(#"{"id": "a", "title": "t", "category": ["x", "y"]}"#).get().extra["category"]
            == .array([.string("x"), .string("y")]))
        #expect(try parse(#"{"id": "a", "title": "t", "author": "  "}"#).get().author == nil)
    }

    @Test func derivedTitleIsCutAtAWordBoundary() throws {
        let words = Array(repeating: "abstract", count: 60).joined(separator: " ")
        let article = try JSONLinesReader.parseLine(#"{"id": "a", "title": "", "text": "\#(words)"}"#).get()
        #expect(article.title.count <= JSONLinesReader.maxDerivedTitleLength)
        #expect(article.title.hasSuffix("abstract"))
        #expect(article.body == words)
    }

    @Test func invalidUTF8InsideAStringIsReportedPerLine() throws {
        try ArticleTestSupport.withTemporaryDirectory { directory in
            var bytes = Array(#"{"id": "1", "title": "ok"}"#.utf8) + [0x0A]
            bytes += Array(#"{"id": "2", "title": "bad "#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8) + [0x0A]
            bytes += Array(#"{"id": "3", "title": "ok again"}"#.utf8)
            let url = try ArticleTestSupport.write(bytes, to: directory, "mixed.jsonl")
            let lines = try readAll(url)
            #expect(lines.count == 3)
            #expect(lines[1].result.failureForTest?.reason == .invalidUTF8)
            #expect(lines[1].result.failureForTest?.message.hasPrefix("line 2: invalid UTF-8") == true)
            #expect(try lines[2].result.get().title == "ok again")
        }
    }

    @Test func crlfBOMBlankLinesAndNoFinalNewline() throws {
        try ArticleTestSupport.withTemporaryDirectory { directory in
            let text = "\u{FEFF}{\"id\": \"1\", \"title\": \"one\"}\r\n   \r\n\r\n{\"id\": \"2\", \"title\": \"two\"}"
            let url = try ArticleTestSupport.write(text, to: directory, "crlf.jsonl")
            let lines = try readAll(url)
            #expect(lines.map(\.number) == [1, 4])
            #expect(try lines.map { try $0.result.get().title } == ["one", "two"])

            let empty = try ArticleTestSupport.write("", to: directory, "empty.jsonl")
            #expect(try readAll(empty).isEmpty)
        }
    }

    @Test func missingFileThrowsUnreadable() {
        let url = URL(fileURLWithPath: "/nonexistent/quarry/\(UUID().uuidString).jsonl")
        #expect(throws: JSONLineError.self) { try JSONLinesReader(url: url).read { _, _ in } }
        do {
            try JSONLinesReader(url: url).read { _, _ in }
        } catch {
            #expect(error.reason == .unreadable && error.line == 0)
        }
    }

    @Test func manyLinesAreFast() throws {
        try ArticleTestSupport.withTemporaryDirectory { directory in
            let body = String(repeating: "Grain traders said prices held firm as the harvest ended. ", count: 30)
            var text = ""
            for index in 0..<5_000 {
                text += #"{"id": "\#(index)", "title": "Story \#(index)", "text": "\#(body)", "date": "1987-03-0\#(index % 9 + 1)", "topics": ["grain"]}"#
                text += "\n"
            }
            let url = try ArticleTestSupport.write(text, to: directory, "bulk.jsonl")
            var good = 0
            let elapsed = try ContinuousClock().measure {
                try JSONLinesReader(url: url).read { _, result in if case .success = result { good += 1 } }
            }
            #expect(good == 5_000)
            print("JSONL: 5,000 lines of ~1.8 KB in \(elapsed)")
        }
    }
}

extension Result where Failure == JSONLineError {
    fileprivate var failureForTest: JSONLineError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
