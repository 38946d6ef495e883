import ArgumentParser
import Foundation
import Logging
import QuarryCore

/// `quarry-index compact --db DIR`: brings an index grown by many incremental runs back to its compact size.
struct Compact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Rewrite an index at its compact size (as xapian-compact does), swapping it in safely.",
        discussion: """
            An index updated in many batches grows to about 1.5 times the size a compaction gives. This takes the \
            index's write lock (no quarry-index writes meanwhile), compacts it into DIR.compact-tmp beside it, \
            checks the copy (documents, last docid, metadata, xapian-check) and swaps it in with one atomic \
            rename: quarryd keeps serving the old index and then the new one, never a missing or half one. \
            Docids, and the state incremental runs keep, are unchanged: the next run skips unchanged files.

            Needs free space for a second, compacted copy. Ctrl-C (or SIGTERM) before the swap leaves the index \
            untouched and removes the copy; a copy left by a killed run is removed by the next one.

            Examples:
              quarry-index compact --db ~/news.db
              quarry-index compact --db news.db --json
            """)

    @Option(name: .long, help: "The Quarry index folder to compact.", completion: .directory)
    var db: String

    @Flag(help: "Allow oversize items: a little smaller, but not meant for an index that will be updated again.")
    var fuller = false

    @Flag(name: .customLong("no-check"), help: "Skip xapian-check's consistency check of the copy (the counts and metadata are still compared).")
    var noCheck = false

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress lines (the summary is still printed).")
    var quiet = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() throws {
        let logger = try CommandStart.begin(logLevel: logLevel)

        var options = IndexCompaction.Options(databasePath: db)
        options.level = fuller ? .fuller : .full
        options.check = !noCheck
        let stop = StopSignal.install()
        let started = ContinuousClock.now
        let progress: (IndexCompaction.Progress) -> Void = { step in
            switch step {
            case .removedLeftover(let path):
                logger.notice("removed \(path), left by an interrupted compaction")
            case .restoredOriginal(let path):
                logger.notice("put back the index an interrupted compaction had parked at \(path)")
            case .started(let bytes, let documents):
                if !quiet {
                    logger.info("compacting \(db): \(documents) documents, \(SummaryText.formatBytes(bytes))")
                }
            case .table(let name, let status):
                if !quiet, !status.isEmpty {
                    let elapsed = String(format: "%.1f", Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds))
                    logger.info("  \(name): \(status) (\(elapsed) s)")
                }
            case .verifying:
                if !quiet { logger.info("verifying the compacted copy") }
            case .swapped(let atomically):
                if !atomically {
                    logger.warning("""
                        this filesystem cannot exchange two folders atomically: swapped with two renames \
                        (readers may have seen no index for a moment)
                        """)
                }
            }
        }

        let summary: IndexCompaction.Summary
        do {
            summary = try IndexCompaction.run(options, progress: progress, shouldStop: stop.isSet)
        } catch {
            logger.error("\(error.description)")
            if case .interrupted = error { throw ExitCode(130) }
            throw ExitCode.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(summary) { print(String(decoding: data, as: UTF8.self)) }
            return
        }
        print("""
            Compacted \(db): \(SummaryText.formatBytes(summary.bytesBefore)) → \
            \(SummaryText.formatBytes(summary.bytesAfter)) (\(String(format: "%.0f", summary.ratio * 100))%)
              \(summary.documents) documents, last docid \(summary.lastDocumentID) (docids kept)
              \(String(format: "%.2f s (compact %.2f s, verify %.2f s", summary.seconds, summary.compactSeconds,
                       summary.verifySeconds))\(summary.checked ? " with xapian-check" : ""))
            """)
    }
}
