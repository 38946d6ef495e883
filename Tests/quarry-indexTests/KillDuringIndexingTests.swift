import Foundation
import QuarryTestSupport
import Testing
import Xapian

/// quarry-index killed with SIGKILL at random moments: each time the index must hold exactly its last
/// commit (it opens, xapian-check passes, the documents are the first articles of a commit point and each is
/// complete), and a re-run must finish the work, ending equal to a clean build.
///
/// With one writer the index grows commit by commit; a parallel build of a new index is swapped in whole when
/// merged, so a kill leaves it empty (or complete); the re-run merges what the build's last checkpoint held and
/// goes on from there (or builds again when there was none).
///
/// CI runs a few trials; `scripts/kill-trials --trials 200` runs many (QUARRY_KILL_TRIALS). A failing trial
/// is replayed with the seed it printed (QUARRY_KILL_SEED).
@Suite struct KillDuringIndexingTests {
    static let environment = ProcessInfo.processInfo.environment
    static let trials = environment["QUARRY_KILL_TRIALS"].flatMap(Int.init) ?? 4
    static let articleCount = environment["QUARRY_KILL_ARTICLES"].flatMap(Int.init) ?? 1000
    static let batchSize = 50

    @Test(arguments: [1, 2])
    func sigkillLeavesTheLastCommitAndARerunFinishesTheWork(jobs: Int) throws {
        let seed = SeededRandom.seed(fromEnvironment: "QUARRY_KILL_SEED")
        print("kill trials, \(jobs) writers: \(Self.trials) trials, \(Self.articleCount) articles, batch \(Self.batchSize), "
              + "seed \(seed) (replay with QUARRY_KILL_SEED=\(seed))")
        var random = SeededRandom(seed: seed)
        let corpus = try TestCorpus()
        let generated = try GeneratedCorpus.write(into: corpus, count: Self.articleCount, seed: seed)

        // The clean build: what every trial must end equal to. Kill moments are spread over the duration of a
        // whole run: at first the clean build's, then the shortest run seen (a run that beats its kill).
        let referencePath = corpus.root.appendingPathComponent("reference").path
        let started = Date()
        let clean = try index(corpus, into: referencePath, jobs: jobs)
        var runSeconds = Date().timeIntervalSince(started)
        try #require(clean.status == 0, "clean build failed: \(clean.stderr)")
        let reference = try IndexContents(path: referencePath)
        try #require(reference.documents.count == Self.articleCount)
        let check = CommittedIndexCheck(reference: reference, corpus: generated, batchSize: Self.batchSize)

        var survived = 0
        var killedMidRun = 0
        for trial in 1...Self.trials {
            let path = corpus.root.appendingPathComponent("trial-\(trial)").path
            let delay = Double.random(in: 0..<runSeconds, using: &random)
            let process = Process()
            process.executableURL = Executables.url("quarry-index")
            process.arguments = arguments(corpus, path, jobs: jobs)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let launched = Date()
            try process.run()
            while process.isRunning && Date().timeIntervalSince(launched) < delay { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            // The run may end on its own between the look and the kill: then it must have ended well.
            let killed = process.terminationReason == .uncaughtSignal
            let context = "trial \(trial) (seed \(seed), kill after \(Int(delay * 1000)) ms)"
            if killed {
                killedMidRun += 1
            } else {
                #expect(process.terminationStatus == 0, "\(context): it exited by itself with a failure")
                runSeconds = min(runSeconds, Date().timeIntervalSince(launched))
            }

            let held = try check.verify(path, context)
            let rerun = try index(corpus, into: path, jobs: jobs)
            #expect(rerun.status == 0, "\(context): the re-run failed: \(rerun.stderr)")
            try CommittedIndexCheck.xapianCheck(path, "\(context), after the re-run")
            let finished = try IndexContents(path: path)
            let differences = finished.documentDifferences(from: reference.documents)
            #expect(differences.isEmpty, "\(context): after the re-run: \(differences.joined(separator: "; "))")
            #expect(finished.lastDocumentID == reference.lastDocumentID, "\(context)")
            #expect(finished.metadata == reference.metadata, "\(context)")
            #expect(finished.spellingDifferences(from: reference.spellings).isEmpty,
                    "\(context): spelling data differs: \(finished.spellingDifferences(from: reference.spellings))")
            #expect(!FileManager.default.fileExists(atPath: path + ".build"), "\(context): a build folder was left")
            if finished == reference { survived += 1 }
            print("kill trial \(trial)/\(Self.trials): \(killed ? "killed" : "finished before the kill") after "
                  + "\(Int(delay * 1000)) ms holding \(held) of \(Self.articleCount) documents; "
                  + "re-run \(finished == reference ? "equal to" : "DIFFERENT FROM") the clean build")
            try? FileManager.default.removeItem(atPath: path)
        }
        print("kill trials: \(survived) of \(Self.trials) survived, \(killedMidRun) of them killed mid-run "
              + "(seed \(seed))")
        #expect(survived == Self.trials)
    }

    /// A parallel build killed after a checkpoint is not thrown away: the re-run merges the shards and metadata
    /// as they stood, skips what they hold, and reads on; the index ends with the clean build's documents (their
    /// docids may differ: the re-run appends what the killed build had not reached), settings, file states and
    /// spelling data. In text files, and in JSON Lines files: a small one read whole first, its last line
    /// without a newline (whose docid only the finished build would have known), then a large one.
    @Test(arguments: ["text", "jsonl"])
    func aParallelBuildKilledAfterACheckpointIsKeptAndFinished(format: String) throws {
        let batch = 10  // a checkpoint every 20 batches: 200 articles
        let corpus = try TestCorpus()
        if format == "text" {
            _ = try GeneratedCorpus.write(into: corpus, count: 1000, seed: 7)
        } else {
            func lines(_ numbers: ClosedRange<Int>, _ prefix: String) -> [String] {
                numbers.map { #"{"id": "\#(prefix)\#($0)", "title": "Feed story \#($0)", "text": "Harbour news uniq\#($0)tok."}"# }
            }
            try corpus.write("a.jsonl", lines(1...5, "a").joined(separator: "\n"))  // no newline after the last
            try corpus.write("b.jsonl", lines(1...995, "b").joined(separator: "\n") + "\n")
        }
        // Each writer starts a new database every 4 batches: the checkpoint finds shards of several generations.
        let arguments = [corpus.corpus.path, "--batch", String(batch), "--jobs", "2", "--shard-articles", "40",
                         "--quiet", "--json"]
        let referencePath = corpus.root.appendingPathComponent("reference").path
        let clean = try Executables.run("quarry-index", arguments + ["--db", referencePath])
        try #require(clean.status == 0, "clean build failed: \(clean.stderr)")
        let reference = try IndexContents(path: referencePath)
        try #require(reference.documents.count == 1000)

        let path = corpus.root.appendingPathComponent("killed").path
        let process = try Self.startIndexing(arguments + ["--db", path])
        // Killed just after the build's first checkpoint: its mark's key shows in the metadata database's postlist
        // table (read as bytes: no Xapian reader in this process on a database another process is writing), and
        // the commit that writes it is given 50 ms to finish.
        let table = path + ".build/metadata/postlist.glass"
        let mark = Data("quarry.build_checkpoint".utf8)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline,
              FileManager.default.contents(atPath: table)?.range(of: mark) == nil {
            usleep(2_000)
        }
        usleep(50_000)
        try #require(process.isRunning, "the build ended before its first checkpoint was seen")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try Database(path: path).documentCount() == 0, "a parallel build's index stays empty until merged")

        let rerun = try Executables.run("quarry-index", arguments + ["--db", path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let summary = try JSONDecoder().decode(IndexSummaryFigures.self, from: Data(rerun.stdout.utf8))
        #expect(summary.salvaged >= 200, "the checkpoint's articles are kept: \(rerun.stdout)")
        // What the shards held past the checkpoint is read again and replaces itself (JSON Lines: `updated`).
        #expect(summary.added == 1000 - summary.salvaged, "only the rest is added: \(rerun.stdout)")
        if format == "text" { #expect(summary.unchanged == summary.salvaged, "\(rerun.stdout)") }
        try CommittedIndexCheck.xapianCheck(path, "after the re-run")
        let finished = try IndexContents(path: path)
        #expect(Self.byArticle(finished) == Self.byArticle(reference), "the same documents, by article id")
        #expect(Self.withoutTails(finished.metadata) == Self.withoutTails(reference.metadata))
        #expect(finished.spellingDifferences(from: reference.spellings).isEmpty,
                "\(finished.spellingDifferences(from: reference.spellings))")
        #expect(!FileManager.default.fileExists(atPath: path + ".build"), "the build folder is gone")
    }

    /// Killed while merging (the last checkpoint is the finished build): the re-run merges it again, whole.
    @Test func aParallelBuildKilledWhileMergingIsMergedByTheRerun() throws {
        let corpus = try TestCorpus()
        _ = try GeneratedCorpus.write(into: corpus, count: 1000, seed: 11)
        let arguments = [corpus.corpus.path, "--jobs", "2", "--quiet", "--json"]
        let referencePath = corpus.root.appendingPathComponent("reference").path
        let clean = try Executables.run("quarry-index", arguments + ["--db", referencePath])
        try #require(clean.status == 0, "clean build failed: \(clean.stderr)")
        let reference = try IndexContents(path: referencePath)

        // The merge is short: tried until a kill lands in it (the merged copy exists, the index is still empty).
        var path = ""
        for attempt in 1...10 {
            path = corpus.root.appendingPathComponent("killed-\(attempt)").path
            let process = try Self.startIndexing(arguments + ["--db", path])
            while process.isRunning, !FileManager.default.fileExists(atPath: path + ".build/merged") { usleep(200) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal, try Database(path: path).documentCount() == 0 { break }
            path = ""
        }
        try #require(!path.isEmpty, "no kill landed during the merge in 10 tries")

        let rerun = try Executables.run("quarry-index", arguments + ["--db", path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let summary = try JSONDecoder().decode(IndexSummaryFigures.self, from: Data(rerun.stdout.utf8))
        #expect(summary.salvaged == 1000 && summary.added == 0 && summary.unchanged == 1000, "\(rerun.stdout)")
        let finished = try IndexContents(path: path)
        #expect(Self.byArticle(finished) == Self.byArticle(reference))
        #expect(finished.metadata == reference.metadata)
        #expect(finished.spellingDifferences(from: reference.spellings).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path + ".build"))
    }

    /// A large batch into an existing index is built in parallel and merged with the index in the build folder:
    /// killed at any moment, the index is exactly as it was or exactly updated (the swap is one rename), and the
    /// re-run ends equal to an update that was not killed.
    @Test func aParallelUpdateKilledAtAnyMomentLeavesTheIndexAsItWasOrUpdated() throws {
        let seed = SeededRandom.seed(fromEnvironment: "QUARRY_KILL_SEED")
        print("parallel update kill trials: seed \(seed) (replay with QUARRY_KILL_SEED=\(seed))")
        var random = SeededRandom(seed: seed)
        let corpus = try TestCorpus()
        _ = try GeneratedCorpus.write(into: corpus, count: 200, seed: 5)
        let arguments = [corpus.corpus.path, "--batch", "50", "--jobs", "2", "--shard-articles", "150", "--quiet", "--json"]
        let referencePath = corpus.root.appendingPathComponent("reference").path
        let trialPaths = (1...3).map { corpus.root.appendingPathComponent("trial-\($0)").path }
        for path in [referencePath] + trialPaths {
            let base = try Executables.run("quarry-index", arguments + ["--db", path])
            try #require(base.status == 0, "\(base.stderr)")
        }
        let base = Self.byArticle(try IndexContents(path: referencePath))
        // The same 200 articles written again (changed: a new mtime) and 800 more: the batch.
        _ = try GeneratedCorpus.write(into: corpus, count: 1000, seed: 5)
        let started = Date()
        let clean = try Executables.run("quarry-index", arguments + ["--db", referencePath])
        let runSeconds = Date().timeIntervalSince(started)
        try #require(clean.status == 0, "\(clean.stderr)")
        let figures = try JSONDecoder().decode(IndexSummaryFigures.self, from: Data(clean.stdout.utf8))
        #expect(figures.shards == 2 && figures.added == 800, "a parallel update: \(clean.stdout)")
        let reference = try IndexContents(path: referencePath)

        for path in trialPaths {
            let delay = Double.random(in: 0..<runSeconds, using: &random)
            let context = "seed \(seed), kill after \(Int(delay * 1000)) ms"
            let process = try Self.startIndexing(arguments + ["--db", path])
            let launched = Date()
            while process.isRunning && Date().timeIntervalSince(launched) < delay { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try CommittedIndexCheck.xapianCheck(path, context)
            let held = Self.byArticle(try IndexContents(path: path))
            #expect(held == base || held == Self.byArticle(reference),
                    "\(context): \(held.count) documents, neither the index as it was nor updated")

            let rerun = try Executables.run("quarry-index", arguments + ["--db", path])
            #expect(rerun.status == 0, "\(context): \(rerun.stderr)")
            let finished = try IndexContents(path: path)
            #expect(Self.byArticle(finished) == Self.byArticle(reference), "\(context)")
            #expect(finished.metadata == reference.metadata, "\(context)")
            #expect(finished.spellingDifferences(from: reference.spellings).isEmpty, "\(context)")
            #expect(!FileManager.default.fileExists(atPath: path + ".build"), "\(context)")
        }
    }

    /// quarry-index started in the background with its output discarded, to be killed.
    static func startIndexing(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Executables.url("quarry-index")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The figures of `quarry-index --json` this suite reads.
    struct IndexSummaryFigures: Decodable {
        var added: Int
        var shards: Int
        var unchanged: Int
        var salvaged: Int
    }

    /// The metadata with each JSON Lines state's `tail` (a docid: the layouts differ) left out.
    static func withoutTails(_ metadata: [String: String]) -> [String: String] {
        metadata.mapValues { value in
            guard value.hasPrefix("{"), var state = try? JSONSerialization.jsonObject(with: Data(value.utf8))
                as? [String: Any] else { return value }
            state["tail"] = state["tail"] == nil ? nil : "present"
            return (try? JSONSerialization.data(withJSONObject: state, options: .sortedKeys))
                .map { String(decoding: $0, as: UTF8.self) } ?? value
        }
    }

    /// Each document without its docid, by its unique-id term.
    static func byArticle(_ contents: IndexContents) -> [String: IndexContents.StoredDocument] {
        Dictionary(uniqueKeysWithValues: contents.documents.map { document in
            var anonymous = document
            anonymous.docid = 0
            return (document.terms.first { $0.term.hasPrefix("Q") }?.term ?? "", anonymous)
        })
    }

    private func index(_ corpus: TestCorpus, into path: String, jobs: Int) throws -> Executables.Output {
        try Executables.run("quarry-index", arguments(corpus, path, jobs: jobs))
    }

    /// Each writer of a parallel build starts a new database every 3 batches: a kill meets shards of several
    /// generations, which the salvage must merge in order.
    private func arguments(_ corpus: TestCorpus, _ path: String, jobs: Int) -> [String] {
        [corpus.corpus.path, "--db", path, "--batch", String(Self.batchSize), "--jobs", String(jobs),
         "--shard-articles", String(3 * Self.batchSize), "--quiet"]
    }
}
