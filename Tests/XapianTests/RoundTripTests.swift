import Testing
@testable import Xapian

@Suite struct RoundTripTests {
    /// Builds a small database with the same calls an indexer makes.
    func makeDatabase(_ dir: TemporaryDirectory, spelling: Bool = false) throws -> WritableDatabase {
        let db = try WritableDatabase(path: dir.path("db"), mode: .createOrOverwrite)
        let generator = TermGenerator()
        try generator.setStemmer(Stem(language: "english"))
        if spelling { try generator.enableSpelling(into: db) }
        let texts = [
            ("a", "Floods close the coastal road", "Heavy rain flooded the coastal road near the harbour.", "20231024"),
            ("b", "Harbour reopens", "The harbour reopened after the storm passed quickly.", "20230101"),
            ("c", "Election results", "Voters returned the coalition in a close election.", "20221231"),
        ]
        for (id, title, body, date) in texts {
            let doc = Document()
            try generator.setDocument(doc)
            try generator.index(title, prefix: "S")
            try generator.increaseTermPosition()
            try generator.index(body)
            try doc.addBooleanTerm("Q" + id)
            try doc.addValue(0, date)
            try doc.addValue(1, SortableNumber.serialise(Double(date)!))
            try doc.setData("{\"id\":\"\(id)\"}")
            try db.replaceDocument(uniqueTerm: "Q" + id, with: doc)
        }
        try db.setMetadata("language", "english")
        try db.commit()
        return db
    }

    @Test func documentsTermsValuesAndMetadataRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeDatabase(dir)
        #expect(try db.documentCount() == 3)
        #expect(try db.metadata("language") == "english")
        #expect(try db.metadata("absent") == "")
        let docid = try #require(try db.firstDocument(withTerm: "Qb"))
        let doc = try db.document(docid)
        #expect(try String(decoding: doc.data(), as: UTF8.self) == "{\"id\":\"b\"}")
        #expect(try doc.stringValue(0) == "20230101")
        #expect(SortableNumber.unserialise(try doc.value(1)) == 20230101)
        #expect(try db.termFrequency("Zharbour") == 2)
        #expect(try db.termList(docid).contains { $0.term == "Sharbour" })
        #expect(try db.allTerms(prefix: "Q").map(\.term) == ["Qa", "Qb", "Qc"])
        #expect(try db.valueStream(slot: 0).map { String(decoding: $0.value, as: UTF8.self) }
            == ["20231024", "20230101", "20221231"])
        #expect(try db.hasPositions())
        #expect(try db.firstDocument(withTerm: "Qzzz") == nil)
    }

    @Test func positionsValuesMetadataKeysAndSpellingsAreListed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeDatabase(dir, spelling: true)
        let docid = try #require(try db.firstDocument(withTerm: "Qa"))
        // Title "Floods close the coastal road" (S-prefixed, positions 1-5); the body starts 100 further on.
        #expect(try db.positions(of: "Sroad", in: docid) == [5])
        #expect(try db.positions(of: "road", in: docid) == [111])
        #expect(try db.positions(of: "Qa", in: docid).isEmpty)
        #expect(try db.positions(of: "absent", in: docid).isEmpty)
        let all = try db.termPositions(docid)
        #expect(all["Sroad"] == [5] && all["road"] == [111] && all["Qa"] == nil)
        for term in try db.termList(docid) {
            #expect(try all[term.term, default: []] == db.positions(of: term.term, in: docid), "\(term.term)")
        }
        let values = try db.document(docid).values()
        #expect(values.map(\.slot) == [0, 1])
        #expect(values.first.map { String(decoding: $0.value, as: UTF8.self) } == "20231024")
        try db.setMetadata("language.variant", "british")
        try db.commit()
        #expect(try db.metadataKeys() == ["language", "language.variant"])
        #expect(try db.metadataKeys(prefix: "language.") == ["language.variant"])
        let spellings = try db.spellings()
        #expect(spellings.contains(TermCount(term: "harbour", count: 2)))
        #expect(spellings.map(\.term) == spellings.map(\.term).sorted())
    }

    @Test func binaryBytesPassThroughUntouched() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try WritableDatabase(path: dir.path("db"))
        let doc = Document()
        let bytes: [UInt8] = [0, 255, 0xC3, 0x28, 0, 10]
        try doc.setData(bytes)
        try doc.addValue(3, bytes)
        let docid = try db.addDocument(doc)
        try db.commit()
        let back = try db.document(docid)
        #expect(try back.data() == bytes)
        #expect(try back.value(3) == bytes)
    }

    @Test func rankedPhraseAndFilteredSearch() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try makeDatabase(dir)
        let reader = try Database(path: dir.path("db"))
        let parser = QueryParser()
        let stem = try Stem(language: "english")
        try parser.setStemmer(stem)
        try parser.setStemmingStrategy(.some)
        try parser.setDatabase(reader)
        try parser.addPrefix(field: "title", prefix: "S")
        let enquire = try Enquire(database: reader)
        try enquire.setWeighting(.init(k1: 1.2, b: 0.75))

        try enquire.setQuery(try parser.parse("harbour"))
        var mset = try enquire.mset(maxItems: 10)
        #expect(mset.count == 2)
        #expect(try mset.matches().estimated == 2)

        try enquire.setQuery(try parser.parse("\"coastal road\""))
        mset = try enquire.mset(maxItems: 10)
        #expect(mset.count == 1)
        let snippet = try mset.snippet("Heavy rain flooded the coastal road near the harbour.", stemmer: stem)
        #expect(snippet.contains("<b>coastal road</b>") || snippet.contains("<b>coastal</b> <b>road</b>"))

        try enquire.setQuery(try parser.parse("title:harbour"))
        mset = try enquire.mset(maxItems: 10)
        #expect(mset.count == 1)

        let filtered = try Query(.filter, [parser.parse("harbour"), Query.valueRange(slot: 0, from: Array("20230101".utf8), to: Array("20231231".utf8))])
        try enquire.setQuery(filtered)
        #expect(try enquire.mset(maxItems: 10).count == 2)

        try enquire.sortByValue(slot: 0, descending: true)
        try enquire.setQuery(Query.matchAll)
        let dates = try enquire.mset(maxItems: 10).items().map { try reader.document($0.docid).stringValue(0) }
        #expect(dates == ["20231024", "20230101", "20221231"])
    }

    @Test func facetsCollapseAndExpansion() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try makeDatabase(dir)
        let reader = try Database(path: dir.path("db"))
        let enquire = try Enquire(database: reader)
        let spy = try ValueCountMatchSpy(slot: 0)
        try enquire.addMatchSpy(spy)
        try enquire.setQuery(Query.matchAll)
        _ = try enquire.mset(maxItems: 0, checkAtLeast: 1000)
        #expect(try spy.total() == 3)
        #expect(try spy.topValues(10).count == 3)

        let a = try #require(try reader.firstDocument(withTerm: "Qa"))
        let expand = try enquire.expandTerms(relevant: [a], maxItems: 5)
        #expect(!expand.isEmpty)
        #expect(expand.allSatisfy { $0.weight > 0 })
    }

    @Test func decayFavoursRecentDocuments() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try makeDatabase(dir)
        let reader = try Database(path: dir.path("db"))
        let enquire = try Enquire(database: reader)
        try enquire.setQuery(try Query.decay(slot: 1, origin: 20231024, halfLife: 100, maxWeight: 1))
        let items = try enquire.mset(maxItems: 10).items()
        let ids = try items.map { try reader.document($0.docid).stringValue(0) }
        #expect(ids.first == "20231024")
        #expect(items.first?.weight ?? 0 > items.last?.weight ?? 1)
        #expect(throws: XapianError.self) { try Query.decay(slot: 1, origin: 0, halfLife: 0, maxWeight: 1) }
    }

    @Test func spellingSuggestionsComeFromIndexedText() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try makeDatabase(dir, spelling: true)
        #expect(try db.spellingSuggestion(for: "harbuor") == "harbour")
        #expect(try db.spellingFrequency("harbour") > 0 && db.spellingFrequency("harbuor") == 0)
        let parser = QueryParser()
        try parser.setDatabase(db)
        _ = try parser.parse("electon", flags: [.default, .spellingCorrection])
        #expect(try parser.correctedQuery() == "election")
    }

    @Test func readersSeeCommitsAfterReopen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try makeDatabase(dir)
        let reader = try Database(path: dir.path("db"))
        let before = try reader.revision()
        try writer.deleteDocuments(withTerm: "Qa")
        try writer.commit()
        #expect(try reader.documentCount() == 3)
        #expect(try reader.reopen())
        #expect(try reader.documentCount() == 2)
        #expect(try reader.revision() > before)
        let report = try Database.checkConsistency(path: dir.path("db"))
        #expect(report.errors == 0)
    }

    @Test func stemmerAndQueryDescription() throws {
        let stem = try Stem(language: "english")
        #expect(try stem("running") == "run")
        #expect(Stem.availableLanguages.contains("french"))
        let q = try Query(.or, [Query(term: "a"), Query(term: "b")])
        #expect(q.description.contains("a OR b"))
        #expect(try q.terms() == ["a", "b"])
        #expect(Query.matchNothing.isEmpty)
    }
}
