import Foundation
import QuarryCore

/// The human summary printed at the end of a run.
enum SummaryText {
    static func render(_ summary: IndexSummary, database: String) -> String {
        var lines: [String] = []
        let state = summary.interrupted ? "interrupted (work so far committed)" : "done"
        lines.append("Indexed into \(database): \(state)")
        lines.append("  added      \(summary.added)")
        lines.append("  updated    \(summary.updated)")
        lines.append("  unchanged  \(summary.unchanged)")
        lines.append("  deleted    \(summary.deleted)")
        lines.append("  skipped    \(summary.skippedTotal)")
        for (reason, count) in summary.skipped.sorted(by: { $0.key < $1.key }) {
            let label = SkipReason(rawValue: reason)?.summary ?? reason
            lines.append("    \(label): \(count)")
        }
        lines.append(String(format: "  %.2f s, %.0f docs/s, %d files scanned", summary.seconds,
                            summary.documentsPerSecond, summary.filesScanned))
        if summary.shards > 1 {
            lines.append(String(format: "  built on %d writers in parallel; merging them took %.2f s", summary.shards,
                                summary.mergeSeconds))
        }
        if summary.salvaged > 0 {
            lines.append("  went on from a parallel build killed part-way: \(summary.salvaged) documents kept")
        }
        lines.append("  index: \(summary.documentsInIndex) documents, \(formatBytes(summary.indexBytes))")
        return lines.joined(separator: "\n")
    }

    static func formatBytes(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
