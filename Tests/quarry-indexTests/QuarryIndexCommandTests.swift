import Foundation
import QuarryTestSupport
import Testing
import Xapian

/// The quarry-index executable, run as a user runs it.
@Suite struct QuarryIndexCommandTests {
    @Test func indexesTheSamplesAndPrintsAJSONSummary() throws {
        let corpus = try TestCorpus()
        let output = try Executables.run("quarry-index", [RepositoryPaths.samples.path, "--db", corpus.databasePath,
                                                          "--json", "--quiet"])
        #expect(output.status == 0, "\(output.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect(summary?["added"] as? Int == 32)
        #expect(summary?["documentsInIndex"] as? Int == 32)

        let again = try Executables.run("quarry-index", [RepositoryPaths.samples.path, "--db", corpus.databasePath])
        #expect(again.status == 0)
        #expect(again.stdout.contains("unchanged  32"))
    }

    @Test func aSecondWriterIsToldWhoHoldsTheLock() throws {
        let corpus = try TestCorpus()
        try corpus.write("a/one.txt", "Title\n\nBody text here.")
        let holder = try WritableDatabase(path: corpus.databasePath)
        defer { try? holder.close() }
        let output = try Executables.run("quarry-index", [corpus.corpus.path, "--db", corpus.databasePath])
        #expect(output.status == 1)
        #expect(output.stderr.contains("another quarry-index is writing to \(corpus.databasePath)"))
        #expect(!output.stderr.contains("DatabaseLockError"))
    }

    @Test func aSecondQuarryIndexBesideARunningOneRefusesAndLeavesItAlone() throws {
        let corpus = try TestCorpus()
        for number in 0..<20 {
            try corpus.write("world/\(number).txt", "Story \(number)\n\nHarbour news number \(number).")
        }
        // --watch keeps the first writer (and its lock) alive until SIGTERM.
        let first = try Executables.startWatcher(root: corpus.corpus.path, database: corpus.databasePath)
        defer { if first.isRunning { first.terminate() } }
        #expect(waitUntil { (try? Database(path: corpus.databasePath).documentCount()) == 20 })

        let second = try Executables.run("quarry-index", [corpus.corpus.path, "--db", corpus.databasePath])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another quarry-index is writing to \(corpus.databasePath)"), "\(second.stderr)")
        #expect(first.isRunning, "the first writer is undisturbed")

        // The first goes on indexing, and stops cleanly with everything committed.
        try corpus.write("world/late.txt", "Late story\n\nA lighthouse reopens.")
        #expect(waitUntil { (try? Database(path: corpus.databasePath).documentCount()) == 21 })
        first.terminate()
        first.waitUntilExit()
        #expect(first.terminationReason == .exit && first.terminationStatus == 0)
        try CommittedIndexCheck.xapianCheck(corpus.databasePath, "after two writers")
    }

    @Test func aDatabaseWhoseCreationWasKilledIsStartedAfreshButOtherFoldersAreLeftAlone() throws {
        let corpus = try TestCorpus()
        try corpus.write("a/one.txt", "Title\n\nBody text here.")
        // What a SIGKILL during creation leaves (seen in the kill trials): no iamglass, so no commit.
        let db = corpus.databasePath
        try FileManager.default.createDirectory(atPath: db, withIntermediateDirectories: true)
        for name in ["flintlock", "postlist.glass", "termlist.glass", "v.tmp"] {
            _ = FileManager.default.createFile(atPath: db + "/" + name, contents: Data([1, 2, 3]))
        }
        let rerun = try Executables.run("quarry-index", [corpus.corpus.path, "--db", db])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("creation was interrupted"))
        #expect(try Database(path: db).documentCount() == 1)

        // A folder with anything else in it is not ours to clear.
        let other = corpus.root.appendingPathComponent("other").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: other + "/postlist.glass", contents: Data([1]))
        _ = FileManager.default.createFile(atPath: other + "/notes.txt", contents: Data("keep me".utf8))
        let refused = try Executables.run("quarry-index", [corpus.corpus.path, "--db", other])
        #expect(refused.status == 1)
        #expect(FileManager.default.fileExists(atPath: other + "/notes.txt"))
    }

    @Test func badArgumentsGetUsageErrors() throws {
        let output = try Executables.run("quarry-index", ["--db", "/tmp/x", "--batch", "0", "somewhere"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--batch must be positive"))
        for (flag, value, message) in [("--shard-articles", "0" as String?, "--shard-articles must be positive"),
                                       ("--parallel-update-share=-1", nil, "--parallel-update-share must be 0 or more")] {
            // A negative number is passed as --flag=-1, as a separate "-1" reads as an option.
            let refused = try Executables.run("quarry-index", ["--db", "/tmp/x", flag] + (value.map { [$0] } ?? []) + ["somewhere"])
            #expect(refused.status == 64 && refused.stderr.contains(message), "\(flag): \(refused.stderr)")
        }
        let tooLarge = try Executables.run("quarry-index", ["--db", "/tmp/x", "--max-file-size", "9999999999999G", "x"])
        #expect(tooLarge.status == 64, "an overflowing size is a usage error, not a crash")
        #expect(tooLarge.stderr.contains("--max-file-size"))
        let help = try Executables.run("quarry-index", ["--help"])
        #expect(help.stdout.contains("--watch"))
        #expect(help.stdout.contains("Examples:"))
        #expect(help.stdout.contains("(default: 20M)"), "sizes are shown as they are written")
    }

    @Test func watchIndexesNewArticlesAndCommitsOnSIGTERM() throws {
        let corpus = try TestCorpus()
        try corpus.write("world/first.txt", "First story\n\nAn opening paragraph about harbours.")
        let process = try Executables.startWatcher(root: corpus.corpus.path, database: corpus.databasePath)
        defer { if process.isRunning { process.terminate() } }

        #expect(waitUntil { (try? Database(path: corpus.databasePath).documentCount()) == 1 })
        try corpus.write("world/second.txt", "Second story\n\nLighthouse keepers return to the island.")
        #expect(waitUntil { (try? Database(path: corpus.databasePath).termFrequency("lighthous")) ?? 0 > 0
            || (try? Database(path: corpus.databasePath).termFrequency("Zlighthous")) ?? 0 > 0 })
        try corpus.write("world/third.txt", "Third story\n\nA ferry timetable changes.")
        #expect(waitUntil { (try? Database(path: corpus.databasePath).documentCount()) == 3 })

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(try Database(path: corpus.databasePath).documentCount() == 3)
        // The lock is released: another writer can open the database.
        _ = try WritableDatabase(path: corpus.databasePath)
    }

    private func waitUntil(seconds: Double = 15, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}
