import Testing
@testable import QuarryCore

@Suite struct StoredDataTests {
    let article = Article(
        id: "world/a.txt", title: "Zoë’s “quoted” title", standfirst: "A short lead.", body: "Line one.\n\nLine \"two\" \\ end.",
        date: ArticleDate(year: 2024, month: 2, day: 29), category: "world", url: "https://example.org/a?b=c",
        author: "Ana Lima", extra: ["tags": .array([.string("x"), .number(2), .bool(true), .null])])

    @Test func dataRoundTripsThroughTheFastDecoder() throws {
        let stored = StoredData(article: article)
        let back = try StoredData.decode(stored.encoded())
        #expect(back == stored)
        #expect(back.text == "A short lead.\n\nLine one.\n\nLine \"two\" \\ end.")
    }

    @Test func summaryHoldsWhatAHitShows() throws {
        let summary = HitSummary(StoredData(article: article))
        let back = try HitSummary.decode(summary.encoded())
        #expect(back == summary)
        #expect(back.date?.iso == "2024-02-29")
        #expect(back.url == "https://example.org/a?b=c")
    }

    @Test func summaryDecoderReadsEscapesNullsAndUnknownFields() throws {
        let json = #" { "title" : "A \"b\" \u00e9\n", "id":"x/1", "date":null, "url":null, "later":"ignored" } "#
        let summary = try HitSummary.decode(Array(json.utf8))
        #expect(summary.id == "x/1" && summary.title == "A \"b\" é\n")
        #expect(summary.date == nil && summary.url == nil && summary.category == nil)
        for bad in [#"{"id":"x","title":"t","n":1}"#, #"{"id":"x","title":{"a":"b"}}"#, #"{"title":"no id"}"#,
                    #"{"id":"x","title":"t"} trailing"#, #"{"id":"x","title":"t""#, "[]"] {
            #expect(throws: (any Error).self, "\(bad)") { try HitSummary.decode(Array(bad.utf8)) }
        }
    }

    @Test func encodingIsDeterministic() throws {
        let bytes = try StoredData(article: article).encoded()
        #expect(try StoredData(article: article).encoded() == bytes)
        let summary = String(decoding: try HitSummary(StoredData(article: article)).encoded(), as: UTF8.self)
        #expect(summary.hasPrefix(#"{"category":"world","date":"2024-02-29","id":"world/a.txt","title":"#))
    }

    @Test func malformedDataIsAnErrorNotACrash() {
        #expect(throws: (any Error).self) { try StoredData.decode(Array("{\"title\":\"no id\"}".utf8)) }
        #expect(throws: (any Error).self) { try StoredData.decode([0xFF, 0x00]) }
        #expect(throws: (any Error).self) { try HitSummary.decode([]) }
    }

    @Test func longIdsBecomeBoundedUniqueTerms() {
        let long = String(repeating: "a", count: 400)
        let term = IndexSchema.uniqueTerm(for: long)
        #expect(term.utf8.count <= IndexSchema.maxTermBytes)
        #expect(term != IndexSchema.uniqueTerm(for: long + "b"))
        #expect(IndexSchema.uniqueTerm(for: "short") == "Qshort")
    }

    @Test func titleKeyIgnoresCaseAndPunctuation() {
        #expect(IndexSchema.titleKey("Port strike halts container traffic")
            == IndexSchema.titleKey("PORT STRIKE — halts container traffic!"))
        #expect(IndexSchema.titleKey("Port strike ends") != IndexSchema.titleKey("Port strike halts"))
    }
}
