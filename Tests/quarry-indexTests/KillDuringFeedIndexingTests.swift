import Foundation
import QuarryCore
import QuarryTestSupport
import Testing
import Xapian

/// quarry-index killed with SIGKILL while it reads one large JSON Lines file: the index must hold its last
/// commit together with the read state committed with it (lines 1...k indexed, the state saying k), and a
/// re-run must go on from there, indexing every remaining line exactly once.
@Suite struct KillDuringFeedIndexingTests {
    static let environment = ProcessInfo.processInfo.environment
    static let trials = environment["QUARRY_KILL_TRIALS"].flatMap(Int.init) ?? 3
    static let lineCount = 3000
    static let batchSize = 50

    static func id(_ number: Int) -> String { String(format: "f%05d", number) }

    @Test func sigkillKeepsTheReadStateWithItsCommitAndARerunGoesOnFromIt() throws {
        let seed = SeededRandom.seed(fromEnvironment: "QUARRY_KILL_SEED")
        var random = SeededRandom(seed: seed)
        let corpus = try TestCorpus()
        let words = "harbour council river bridge festival market election storm ferry lantern comet rowing"
        let feed = try corpus.write("feed.jsonl", (1...Self.lineCount).map { number in
            #"{"id": "\#(Self.id(number))", "title": "Feed story \#(number)", "#
                + #""text": "Lighthouse news uniq\#(number)tok. \#(words) \#(words) \#(words)"}"# + "\n"
        }.joined())
        let key = IndexSchema.Metadata.jsonLinesKey(for: feed.standardizedFileURL.path)

        for trial in 1...Self.trials {
            let path = corpus.root.appendingPathComponent("trial-\(trial)").path
            // Killed once a random number of lines is committed: always in the middle of the file (as long as
            // the run has not finished first), between two commits or during one.
            let target = Int.random(in: 1..<Self.lineCount, using: &random)
            let context = "trial \(trial) (seed \(seed), kill after \(target) lines committed)"
            let process = Process()
            process.executableURL = Executables.url("quarry-index")
            // One writer, committing as it reads (a parallel build commits only at its end: KillDuringIndexingTests).
            process.arguments = [corpus.corpus.path, "--db", path, "--batch", String(Self.batchSize), "--jobs", "1",
                                 "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            while process.isRunning && ((try? Database(path: path).documentCount()) ?? 0) < target { usleep(3_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()

            var held = 0
            if FileManager.default.fileExists(atPath: path + "/iamglass") {
                try CommittedIndexCheck.xapianCheck(path, context)
                let database = try Database(path: path)
                held = try database.documentCount()
                let stateText = try database.metadata(key)
                if held > 0 {
                    let state = try #require(
                        try JSONSerialization.jsonObject(with: Data(stateText.utf8)) as? [String: Any],
                        "\(context): \(held) documents committed without their file's state")
                    let position = state["position"] as? [String: Any]
                    #expect(position?["lines"] as? Int == held, "\(context): the state says \(position ?? [:])")
                    #expect(held % Self.batchSize == 0 || held == Self.lineCount, "\(context): \(held) is no commit point")
                    #expect(try database.firstDocument(withTerm: "Q" + Self.id(held)) != nil, "\(context)")
                }
                if held < Self.lineCount {
                    #expect(try database.firstDocument(withTerm: "Q" + Self.id(held + 1)) == nil, "\(context)")
                }
            }

            let rerun = try index(corpus, into: path, json: true)
            #expect(rerun.status == 0, "\(context): the re-run failed: \(rerun.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any]
            #expect(summary?["added"] as? Int == Self.lineCount - held, "\(context): \(rerun.stdout)")
            #expect(summary?["updated"] as? Int == 0, "\(context): every line indexed exactly once")
            #expect(try Database(path: path).documentCount() == Self.lineCount, "\(context)")
            print("feed kill trial \(trial)/\(Self.trials): \(context): held \(held) of \(Self.lineCount) lines")
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private func index(_ corpus: TestCorpus, into path: String, json: Bool = false) throws -> Executables.Output {
        try Executables.run("quarry-index", [corpus.corpus.path, "--db", path, "--batch", String(Self.batchSize),
                                             "--quiet"] + (json ? ["--json"] : []))
    }
}
