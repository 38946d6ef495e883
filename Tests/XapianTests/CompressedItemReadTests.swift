import Testing
@testable import Xapian

/// Xapian 1.4.22 cannot read back a compressed item whose last chunk decompresses to exactly fill its
/// 8 KiB buffer ("Too few chunks of compressed data"); the shim's inflate() completes such reads.
@Suite struct CompressedItemReadTests {
    @Test func theShimsInflateIsTheOneXapianCalls() {
        #expect(Database.readsCompressedItemsSafely)
    }

    /// Words sharing their first letters, one commit each: every commit reads back and grows the same
    /// spelling fragment lists. Without the fix the 689th commit fails (found by the soak test, reduced to
    /// this); with it, every word is there and the database checks clean.
    @Test func spellingListsGrownOneCommitAtATimeStayReadable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("db")
        let words = (1...760).map { "soak\($0)x12345678" }
        let completedBefore = Database.compressedReadsCompleted
        do {
            let db = try WritableDatabase(path: path, mode: .createOrOverwrite)
            for word in words {
                try db.addSpelling(word)
                try db.commit()
            }
            try db.close()
        }
        #expect(Database.compressedReadsCompleted > completedBefore, "the test no longer meets the failing case")

        let reader = try Database(path: path)
        #expect(try reader.spellings().map(\.term).sorted() == words.sorted())
        #expect(try reader.spellingSuggestion(for: "soak700y12345678") == "soak700x12345678")
        let check = try Database.checkConsistency(path: path)
        #expect(check.errors == 0, "\(check.report)")
    }
}
