import Foundation
import QuarryTestSupport
import Testing

/// What quarry-index says when it cannot start: each mistake named for what it is, and nothing created.
@Suite struct OpeningErrorTests {
    @Test func aMissingPathIsAnErrorAndCreatesNothing() throws {
        let corpus = try TestCorpus()
        let missing = corpus.corpus.appendingPathComponent("no/such/folder").path
        let output = try Executables.run("quarry-index", [missing, "--db", corpus.databasePath])
        #expect(output.status == 64, "a usage error: \(output.stderr)")
        #expect(output.stderr.contains("\(missing): no such file or folder"), "\(output.stderr)")
        #expect(!pathExists(corpus.databasePath), "no index is created")
    }

    @Test func missingFoldersAboveANewIndexAreCreated() throws {
        let corpus = try TestCorpus()
        try corpus.write("a/one.txt", "Title\n\nBody text here.")
        let db = corpus.root.appendingPathComponent("indexes/2026/news").path
        let output = try Executables.run("quarry-index", [corpus.corpus.path, "--db", db, "--json"])
        #expect(output.status == 0, "not a permission error: \(output.stderr)")
        #expect(output.stdout.contains("\"added\":1") || output.stdout.contains("\"added\" : 1"), "\(output.stdout)")
        #expect(pathExists(db + "/iamglass"))
    }

    @Test func aFileGivenAsTheIndexIsNotAQuarryIndex() throws {
        let corpus = try TestCorpus()
        try corpus.write("a/one.txt", "Title\n\nBody text here.")
        let file = corpus.corpus.appendingPathComponent("a/one.txt").path
        let output = try Executables.run("quarry-index", [corpus.corpus.path, "--db", file])
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(file) is a file, not a Quarry index"), "\(output.stderr)")
        #expect(!output.stderr.contains("Bad line"), "not Xapian's stub-file message: \(output.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "Title\n\nBody text here.", "the file is untouched")
    }

    @Test func anIndexThisUserMayNotWriteIsAPermissionError() throws {
        let corpus = try TestCorpus()
        try corpus.write("a/one.txt", "Title\n\nBody text here.")
        let first = try Executables.run("quarry-index", [corpus.corpus.path, "--db", corpus.databasePath, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        // Readable by all, writable by its owner only: as root the tool runs as `nobody`, else the folder is made
        // read-only for this user.
        if !Unprivileged.isNeeded { chmod(corpus.databasePath, 0o555) }
        defer { chmod(corpus.databasePath, 0o755) }
        try makeReadableByAll(corpus.root.path)
        try corpus.write("a/two.txt", "Second\n\nMore body text.")
        let (program, arguments) = Unprivileged.command("quarry-index", [corpus.corpus.path, "--db", corpus.databasePath])
        let output = try Executables.run(program, arguments)
        #expect(output.status == 1)
        #expect(output.stderr.contains("permission denied"), "\(output.stderr)")
        #expect(!output.stderr.contains("another quarry-index is writing"), "\(output.stderr)")
    }

    /// Lets `nobody` read the corpus and the index (the temporary folder is the test user's own).
    private func makeReadableByAll(_ path: String) throws {
        let files = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        for file in [path] + files.map({ path + "/" + $0 }) {
            var info = stat()
            guard stat(file, &info) == 0 else { continue }
            let folder = (info.st_mode & S_IFMT) == S_IFDIR
            chmod(file, (info.st_mode & 0o7777) | (folder ? 0o055 : 0o044))
        }
    }
}
