import Foundation
import QuarryCore
import QuarryTestSupport
import Testing
import Xapian
#if canImport(Glibc)
import Glibc
#endif

/// One corpus holding every kind of bad input beside good articles, indexed by the real quarry-index with
/// `--json`: each bad file or line is warned about (with its line number in a JSON Lines file) and counted
/// by reason, and everything else is indexed. As root, the tool runs as `nobody` so that unreadable files and
/// folders really are unreadable.
@Suite("quarry-index: hostile corpus", .timeLimit(.minutes(3)))
struct HostileCorpusTests {
    /// 100 MiB and 200 MiB files are written sparse (a hole is instant and takes no disk); the reader still
    /// sees every byte of them, as zeros.
    private static func writeSparse(_ url: URL, head: String, size: Int, tail: String = "") throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(head.utf8).write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(size))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(tail.utf8))
    }

    @Test func everyBadInputIsWarnedAndCountedAndTheRestIndexed() throws {
        if Unprivileged.isNeeded {
            try #require(FileManager.default.isExecutableFile(atPath: Unprivileged.setpriv),
                         "running as root: util-linux's setpriv is needed to drop privileges")
        }
        let corpus = try TestCorpus()
        let root = corpus.corpus
        // Good articles, beside and among the bad ones.
        let goodTexts = ["news/harbour.txt", "news/bakery.txt", "culture/lanterns.txt"]
        for (index, path) in goodTexts.enumerated() {
            try corpus.write(path, "Good story \(index)\n\nA paragraph about goodstory\(index)x and the town.")
        }
        // Binary files renamed .txt, invalid UTF-8, a 0-byte file, a 100 MiB article.
        try corpus.write("bad/image.txt", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
            + Array("IHDR".utf8) + [UInt8](repeating: 0, count: 64))
        try corpus.write("bad/program.txt", bytes: [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 120))
        try corpus.write("bad/latin1.txt", bytes: Array("Caf".utf8) + [0xE9] + Array(" au lait\n\nLatin-1 body.".utf8))
        try corpus.write("bad/empty.txt", bytes: [])
        try Self.writeSparse(root.appendingPathComponent("bad/huge.txt"), head: "Huge\n\nBody", size: 100 << 20)
        // A file whose name (its id) holds a control character.
        try corpus.write("bad/bell\u{7}.txt", "Bell\n\nA name with a bell in it.")
        // Symbolic link loops: back to a parent folder, and two links pointing at each other.
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("loop"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("loop/up").path, withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("ping.txt").path, withDestinationPath: "pong.txt")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("pong.txt").path, withDestinationPath: "ping.txt")
        // An unreadable file and an unreadable folder.
        let lockedFile = try corpus.write("news/locked.txt", "Locked\n\nNobody may read this.")
        let sealed = try corpus.write("sealed/inside.txt", "Sealed\n\nNor this.").deletingLastPathComponent()
        #expect(chmod(lockedFile.path, 0) == 0)
        #expect(chmod(sealed.path, 0) == 0)
        defer { chmod(sealed.path, 0o755) }
        // JSON Lines: a broken line in the middle, invalid UTF-8 and NUL bytes in lines, path-like and refused ids.
        let wire = [
            #"{"id": "w1", "title": "Wire one", "text": "About wireonex."}"#,
            #"{"id": "w2", "title": "Cut off in the mid"#,
            #"{"id": "w3", "title": "Wire three", "text": "About wirethreex."}"#,
        ].joined(separator: "\n") + "\n"
        try corpus.write("feeds/wire.jsonl", bytes: Array(wire.utf8) + Array(#"{"id": "w4", "title": "bad "#.utf8)
            + [0xFF, 0xFE] + Array("\"}\n".utf8) + Array(#"{"id": "w5", "title": "Wire five"}"#.utf8) + [0x0A]
            + Array(#"{"id": "w6", "title": "nul "#.utf8) + [0, 0] + Array("\"}\n".utf8))
        try corpus.write("feeds/ids.jsonl", HostileArticles.idFeed())
        // A 200 MiB JSON Lines file whose second line is 200 MiB long, between two good lines.
        try Self.writeSparse(
            root.appendingPathComponent("feeds/giant.jsonl"),
            head: #"{"id": "g1", "title": "Before the giant"}"# + "\n" + #"{"id": "g2", "title": ""#,
            size: 200 << 20,
            tail: "\"}\n" + #"{"id": "g3", "title": "After the giant"}"# + "\n")

        try fm.createDirectory(atPath: corpus.databasePath, withIntermediateDirectories: true)
        try Unprivileged.handOver(corpus.databasePath)
        let (program, arguments) = Unprivileged.command("quarry-index", [root.path, "--db", corpus.databasePath, "--json"])
        let output = try Executables.run(program, arguments)
        #expect(output.status == 0, "\(output.stderr)")

        let summary = try JSONDecoder().decode(IndexSummary.self, from: Data(output.stdout.utf8))
        let expectedSkips = [
            "binary": 3, "invalidUTF8": 2, "empty": 1, "tooLarge": 2, "symlinkLoop": 3, "unreadable": 2,
            "malformedJSON": 1, "missingField": 1, "invalidID": 5,
        ]
        #expect(summary.skipped == expectedSkips, "stderr:\n\(output.stderr)")
        let goodIDs = goodTexts + ["w1", "w3", "w5", "g1", "g3"] + HostileArticles.pathLikeIDs
        #expect(summary.added == goodIDs.count)
        #expect(summary.documentsInIndex == goodIDs.count)

        let database = try Database(path: corpus.databasePath)
        for id in goodIDs {
            #expect(try database.firstDocument(withTerm: IndexSchema.uniqueTerm(for: id)) != nil, "\(id) is indexed")
        }

        // One warning line per skip, naming the file (and the line of a JSON Lines file).
        let warnings = output.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == expectedSkips.values.reduce(0, +), "stderr:\n\(output.stderr)")
        for expected in [
            "bad/image.txt: binary content", "bad/program.txt: binary content", "bad/latin1.txt: invalid UTF-8",
            "bad/empty.txt: empty", "bad/huge.txt: 104857600 bytes, over the limit", "bad/bell\\u{7}.txt: invalid id",
            "loop/up: symbolic link loop", "ping.txt: symbolic link loop", "news/locked.txt: cannot read file",
            "sealed: cannot read directory", "wire.jsonl:2: malformed JSON", "wire.jsonl:4: invalid UTF-8",
            "wire.jsonl:6: binary content (NUL bytes)",
            "giant.jsonl:2: line longer than 20971520 bytes", "ids.jsonl:9: field \"id\" is empty",
            "ids.jsonl:10: field \"id\": the id holds the control character \\u{0}",
            "ids.jsonl:11: field \"id\": the id holds the control character \\u{1B}",
            "ids.jsonl:13: field \"id\": the id is 2000 bytes long",
        ] {
            #expect(warnings.contains { $0.contains(expected) }, "no warning with \(expected):\n\(output.stderr)")
        }
        // Nothing from the corpus reaches the terminal raw.
        #expect(!output.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })

        // The 200 MiB line streamed past: it was never held in memory (the line limit is 20 MiB).
        #expect(output.peakMemoryBytes < 120 << 20, "peak RSS \(output.peakMemoryBytes >> 20) MiB")
        print("hostile corpus: quarry-index peak RSS \(output.peakMemoryBytes >> 20) MiB"
              + (Unprivileged.isNeeded ? ", run as nobody" : ""))
    }
}
