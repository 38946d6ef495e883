import Foundation
import QuarryTestSupport
import Testing
import Xapian

/// quarry-index on a disk that fills up: a clear error naming the cause and the index, a non-zero exit (not
/// a crash), and the last commit intact; with room again, a re-run finishes the work. With one writer the last
/// commit holds part of the articles; a parallel build of a new index commits only when merged, so the index
/// stays as it was (empty) and its build folder is removed.
@Suite struct FullDiskTests {
    static let articleCount = 600
    static let batchSize = 50

    @Test(.enabled(if: TmpfsMount.isPermitted,
                   "skipped: filling a disk needs a small tmpfs, and mounting one needs root (CAP_SYS_ADMIN)"),
          arguments: [1, 2])
    func aFullDiskGivesAClearErrorAndKeepsTheLastCommit(jobs: Int) throws {
        let corpus = try TestCorpus()
        let generated = try GeneratedCorpus.write(into: corpus, count: Self.articleCount, seed: 42)
        let referencePath = corpus.root.appendingPathComponent("reference").path
        let clean = try run(corpus, into: referencePath, jobs: jobs)
        try #require(clean.status == 0, "clean build failed: \(clean.stderr)")
        let reference = try IndexContents(path: referencePath)
        let check = CommittedIndexCheck(reference: reference, corpus: generated, batchSize: Self.batchSize)

        // Room for about half of the index.
        let indexBytes = try directoryBytes(referencePath)
        let disk = try TmpfsMount.mount(bytes: max(indexBytes / 2, 256 * 1024))
        defer { disk.unmount() }
        let path = disk.path + "/db"

        let full = try run(corpus, into: path, jobs: jobs)
        #expect(full.status == 1, "exit status \(full.status); stderr: \(full.stderr)")
        #expect(full.stderr.contains("No space left on device"), "\(full.stderr)")
        #expect(full.stderr.contains(path), "the error should name the index: \(full.stderr)")
        let held = try check.verify(path, "full disk")
        if jobs == 1 {
            #expect(held > 0 && held < Self.articleCount, "\(held) documents survived the full disk")
        } else {
            #expect(held == 0, "\(held) documents in an index whose parallel build failed")
            #expect(!FileManager.default.fileExists(atPath: path + ".build"), "the build folder was left behind")
        }

        // A parallel build wants a margin of free space before each commit (ShardWriter: 32 MiB at least).
        try disk.resize(bytes: max(indexBytes * 4, jobs > 1 ? 96 << 20 : 0))
        let rerun = try run(corpus, into: path, jobs: jobs)
        #expect(rerun.status == 0, "re-run with room: \(rerun.stderr)")
        let finished = try IndexContents(path: path)
        #expect(finished.documentDifferences(from: reference.documents).isEmpty)
        #expect(finished.spellingDifferences(from: reference.spellings).isEmpty,
                "spelling data differs: \(finished.spellingDifferences(from: reference.spellings))")
        print("full disk, \(jobs) writers: a \(indexBytes / 2 / 1024) KiB disk kept \(held) of \(Self.articleCount) documents; "
              + "stderr: \(full.stderr.split(separator: "\n").last ?? "")")
    }

    private func run(_ corpus: TestCorpus, into path: String, jobs: Int) throws -> Executables.Output {
        try Executables.run("quarry-index", [corpus.corpus.path, "--db", path, "--batch", String(Self.batchSize),
                                             "--jobs", String(jobs), "--quiet"])
    }

    private func directoryBytes(_ path: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: path).reduce(0) { total, name in
            total + ((try FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0)
        }
    }
}
