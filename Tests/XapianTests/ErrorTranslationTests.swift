import Testing
@testable import Xapian

/// Every Xapian exception must arrive in Swift as a XapianError that keeps its class.
@Suite struct ErrorTranslationTests {
    @Test func missingDatabaseIsAnOpeningError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let error = #expect(throws: XapianError.self) { try Database(path: dir.path("no-such-db")) }
        #expect(error?.kind == .databaseOpening || error?.kind == .databaseNotFound)
        #expect(error?.isNotFound == true)
        #expect(error?.message.isEmpty == false)
    }

    @Test func secondWriterGetsALockError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try WritableDatabase(path: dir.path("db"))
        let error = #expect(throws: XapianError.self) { try WritableDatabase(path: dir.path("db")) }
        #expect(error?.kind == .databaseLock)
        try first.close()
        // Once the first writer is gone the lock is free again.
        _ = try WritableDatabase(path: dir.path("db"))
    }

    @Test func malformedQueryIsAQueryParserError() throws {
        let parser = QueryParser()
        let error = #expect(throws: XapianError.self) {
            try parser.parse("AND", flags: [.boolean, .phrase, .loveHate])
        }
        // Xapian retries most malformed queries without operators; a lone operator it still rejects.
        #expect(error?.kind == .queryParser)
        #expect(error?.message.contains("Syntax") == true)
    }

    @Test func unknownStemmerLanguageIsInvalidArgument() {
        let error = #expect(throws: XapianError.self) { try Stem(language: "klingon") }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func missingDocumentIsDocNotFound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try WritableDatabase(path: dir.path("db"))
        let error = #expect(throws: XapianError.self) { try db.document(42) }
        #expect(error?.kind == .docNotFound)
    }

    @Test func writingThroughAReadOnlyOpenIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try WritableDatabase(path: dir.path("db")).commit()
        let reader = try Database(path: dir.path("db"))
        #expect(try reader.documentCount() == 0)
    }

    @Test func unknownClassNamesAreKept() {
        let error = XapianError(className: "SomeFutureError", message: "m")
        #expect(error.kind == .unknown)
        #expect(error.className == "SomeFutureError")
        #expect(error.description == "SomeFutureError: m")
    }
}
