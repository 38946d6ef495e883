import Foundation
import Logging
import QuarryCore

/// A progress bar with docs/s and ETA on a terminal; a plain log line every few seconds otherwise. Within a
/// large file (a JSON Lines feed) both also say how far into that file the run is.
final class ProgressDisplay {
    private let enabled: Bool
    private let logger: Logger
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastLogged = Date.distantPast
    private var drewBar = false

    init(enabled: Bool, logger: Logger) {
        self.enabled = enabled
        self.logger = logger
    }

    func update(_ progress: IndexProgress) {
        guard enabled else { return }
        if progress.phase != .reading {
            lastLogged = .distantPast  // a new phase is always shown
        }
        if isTerminal {
            drawBar(progress)
        } else if Date().timeIntervalSince(lastLogged) >= 5 {
            lastLogged = Date()
            logger.info("\(ProgressDisplay.line(progress))")
        }
    }

    func finish() {
        if drewBar {
            FileHandle.standardError.write(Data("\n".utf8))
            drewBar = false
        }
    }

    private func drawBar(_ progress: IndexProgress) {
        let width = 30
        let filled = Int(progress.fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = "\r\(bar) \(Int(progress.fraction * 100))%  \(ProgressDisplay.line(progress))\u{1B}[K"
        FileHandle.standardError.write(Data(text.utf8))
        drewBar = true
    }

    static func line(_ progress: IndexProgress) -> String {
        if case .merging(let shards) = progress.phase {
            return "\(progress.documents) docs read; merging \(shards) shards into the index"
        }
        let eta = progress.eta.map { "ETA \(Self.duration($0))" } ?? "ETA --"
        var line = "\(progress.filesDone)/\(progress.filesTotal) files, \(progress.documents) docs, "
            + "\(Int(progress.documentsPerSecond)) docs/s, \(eta)"
        if let file = progress.file {
            let name = (file as NSString).lastPathComponent
            line += "; \(name): \(SummaryText.formatBytes(progress.fileBytesDone)) of "
                + "\(SummaryText.formatBytes(progress.fileBytesTotal)), \(progress.fileDocuments) docs"
        }
        return line
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
