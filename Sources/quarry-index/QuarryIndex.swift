import ArgumentParser
import Foundation
import Logging
import QuarryCore

@main
struct QuarryIndex: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry-index",
        abstract: "Index article folders and JSON Lines files into a Xapian database for quarryd, or compact one.",
        subcommands: [IndexCommand.self, Compact.self],
        defaultSubcommand: IndexCommand.self)

    /// `quarry-index --help` shows the indexing command's whole help (it is what `quarry-index` does without a
    /// subcommand), then the subcommands; everything else is ArgumentParser's.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments == ["--help"] || arguments == ["-h"] else {
            main(nil)
            return
        }
        let help = helpMessage(for: IndexCommand.self)
            .replacingOccurrences(of: "quarry-index index ", with: "quarry-index [index] ")
        print(help)
        print("""

            SUBCOMMANDS:
              index (default)         \(IndexCommand.configuration.abstract)
              compact                 \(Compact.configuration.abstract)

              See 'quarry-index help compact' for its options.
            """)
    }
}

/// `quarry-index PATH... --db DIR`: the default subcommand, so it is also `quarry-index index PATH... --db DIR`.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index article folders and JSON Lines files into a Xapian database for quarryd.",
        discussion: """
            Each PATH is a folder of articles or a single file. Plain-text articles (.txt) have the title on the \
            first line, then a standfirst and paragraphs, and often a date line such as \
            "Updated: October 24, 2023, 7:13 AM"; the category is the parent folder's name and the id is the \
            path relative to PATH. JSON Lines files (.jsonl) hold one article per line with "id", "title", \
            "text" and optional "date", "category", "url", "author".

            Re-running is incremental: unchanged files (same size and mtime) are skipped, changed files replace \
            their documents, and the documents of files that vanished from PATH are deleted (--no-delete keeps \
            them). A .jsonl file that only grew (a feed) is read from where the last run stopped; Ctrl-C commits \
            what was done and the next run goes on from there. Bad files are reported, counted and skipped.

            Examples:
              quarry-index ~/news --db ~/news.db
              quarry-index feed.jsonl archive/ --db news.db --json
              quarry-index ~/news --db ~/news.db --watch        # keep indexing what arrives, until Ctrl-C
            """)

    @Argument(help: "Folders of articles, or .txt / .jsonl files.", completion: .file())
    var paths: [String]

    @Option(name: .long, help: "The Xapian database folder to create or update.", completion: .directory)
    var db: String

    @Option(help: "Snowball stemming language of a new database (an existing one keeps its own).")
    var language: String?

    @Option(help: ArgumentHelp(
        "Stemming strategy of a new database: some (the default), all, all_z, none (an existing one keeps its own).",
        discussion: "some indexes each word as written, with positions, and its stem (Z prefix): phrases and quoted "
            + "words match exact forms, other words match by stem. all_z keeps only the stems, with positions: "
            + "at 1M articles 0.6x the indexing time and 3.37x the corpus instead of 4.00x, the same free-text "
            + "answers, but phrases match by stem too and take 1.6x as long (docs/performance.md). all is all_z "
            + "without the Z prefix, where snippets highlight only words spelt as their stem: prefer all_z."))
    var stemming: String?

    @Option(name: .customLong("batch"), help: "Documents changed between commits.")
    var batchSize: Int = 1000

    @Option(help: ArgumentHelp(
        "Writers that build a new index, or a large batch, in parallel, one shard each, merged at the end (default: the cores).",
        discussion: "1 writes a new index directly, committing every --batch documents. A small batch into an existing "
            + "index uses one writer (see --parallel-update-share). A parallel build of a new index checkpoints every "
            + "20 batches: killed after that, it is merged as it stood by the next run, which goes on from there; a "
            + "killed parallel update leaves the index as it was."))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp(
        "A batch into an existing index is built in parallel too when it is at least this share of the text the index holds.",
        discussion: "The batch's shards are then merged with the index into a new compact copy, swapped in whole; "
            + "a smaller batch goes straight into the index with one writer. 0 always builds in parallel."))
    var parallelUpdateShare: Double = IndexerOptions(databasePath: "").parallelUpdateShare

    @Option(help: ArgumentHelp(
        "In a parallel build, each writer starts a new database after this many articles.",
        discussion: "Commits into small databases write less (41% less at 400,000 articles, in the same time); "
            + "the merge at the end takes them all."))
    var shardArticles: Int = IndexerOptions(databasePath: "").shardGenerationSize

    @Option(help: "How many times a title word counts against a body word, in a new database (default 2; an existing one keeps its own).")
    var titleWeight: Int?

    @Option(help: "Skip .txt articles and .jsonl lines larger than this (bytes, or with K, M, G); .jsonl files are streamed.")
    var maxFileSize: ByteCount = ByteCount(bytes: 20 * 1024 * 1024)

    @Flag(name: .customLong("no-spelling"), help: "Don't build spelling data (faster; no \"did you mean\").")
    var noSpelling = false

    @Flag(name: .customLong("no-delete"), help: "Keep the documents of files that vanished.")
    var noDelete = false

    @Flag(help: "Keep running and index new or changed articles as they appear, until SIGINT or SIGTERM.")
    var watch = false

    @Option(help: "With --watch: seconds between rescans when no change is signalled.")
    var interval: Double = 5

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress display and no per-file warnings (the summary still counts them).")
    var quiet = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch must be positive") }
        guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
        guard shardArticles > 0 else { throw ValidationError("--shard-articles must be positive") }
        guard parallelUpdateShare >= 0 else { throw ValidationError("--parallel-update-share must be 0 or more") }
        if let titleWeight, titleWeight <= 0 { throw ValidationError("--title-weight must be positive") }
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
        if let stemming, StemmingStrategy(name: stemming) == nil {
            throw ValidationError("--stemming must be one of: some, all, all_z, none")
        }
        // A mistyped PATH is an error before anything is created: indexing nothing would give an empty index.
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path): no such file or folder")
        }
    }

    func run() throws {
        let logger = try CommandStart.begin(logLevel: logLevel)

        var options = IndexerOptions(databasePath: db)
        options.language = language
        options.stemming = stemming.flatMap(StemmingStrategy.init(name:))
        options.spelling = !noSpelling
        options.titleWeight = titleWeight
        options.batchSize = batchSize
        options.jobs = jobs
        options.shardGenerationSize = shardArticles
        options.parallelUpdateShare = parallelUpdateShare
        options.maxFileBytes = maxFileSize.bytes
        options.deleteMissing = !noDelete

        let stop = StopSignal.install()
        let indexer: Indexer
        do {
            indexer = try Indexer(options: options, logger: logger)
        } catch {
            logger.error("\(error.description)")
            throw ExitCode.failure
        }
        let roots = paths.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let display = ProgressDisplay(enabled: !quiet, logger: logger)
        let warn: (IndexWarning) -> Void = { warning in
            if !quiet { logger.warning("\(warning.description)") }
        }

        do {
            var summary = try indexer.run(roots: roots, progress: display.update, warn: warn, shouldStop: stop.isSet)
            display.finish()
            report(summary)
            if watch {
                logger.info("watching \(paths.joined(separator: ", ")) for changes (Ctrl-C to stop)")
                let watcher = DirectoryWatcher()
                let wakeup = watcher.wakeup
                stop.onSet { wakeup.wake() }
                while !stop.isSet() {
                    watcher.watchTrees(roots)
                    _ = watcher.waitForChange(timeout: interval)
                    if stop.isSet() { break }
                    summary = try indexer.run(roots: roots, warn: warn, shouldStop: stop.isSet)
                    if summary.added + summary.updated + summary.deleted > 0 {
                        logger.info("""
                            indexed: \(summary.added) added, \(summary.updated) updated, \(summary.deleted) deleted; \
                            \(summary.documentsInIndex) documents
                            """)
                    }
                }
            }
            try indexer.close()
            if watch { logger.info("stopped; every change is committed") }
        } catch {
            display.finish()
            logger.error("\(error.description)")
            throw ExitCode.failure
        }
    }

    private func report(_ summary: IndexSummary) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(summary) { print(String(decoding: data, as: UTF8.self)) }
            return
        }
        print(SummaryText.render(summary, database: db))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
