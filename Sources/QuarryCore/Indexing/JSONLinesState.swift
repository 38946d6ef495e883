import Foundation
import Xapian

/// How far a JSON Lines file has been indexed: kept in the database's metadata (under
/// `IndexSchema.Metadata.jsonLinesKey(for:)`) and written inside the same transaction as the documents it
/// accounts for, so that after a crash the index holds its last commit and the state that goes with it.
///
/// A re-run that finds the file's first `position.offset` bytes unchanged (same fingerprint) reads only what
/// follows: an appended line costs one document, and a run stopped half-way through the file goes on from
/// where its last commit got to. Anything else (an edit, a truncation, a rewrite) re-indexes the whole file.
struct JSONLinesState: Codable, Equatable {
    /// The file's absolute path (the key may be shortened with a hash; this is the whole of it).
    var path: String
    /// What this file's documents carry in `IndexSchema.Slot.sourceSignature`: the file's size:mtime when its
    /// current full read began. Appends and resumed reads keep it, so a document stamped otherwise is left over
    /// from an earlier version of the file, and is deleted once that read reaches the end of the file.
    var stamp: String
    /// The end of the last complete (newline-terminated) line handled, with the lines before it and the
    /// fingerprint of the bytes before it.
    var position: JSONLinesPosition
    /// size:mtime of the version of the file that was read to its end, or nil while that read is unfinished
    /// (stopped, or killed after a commit): a scan that finds this signature again skips the file.
    var complete: String?
    /// The document of a last line without a newline (past `position`, so read again next time: a writer may
    /// have been half-way through it). Deleted then if that line no longer gives it.
    var tail: DocumentID?

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func decode(_ text: String) -> JSONLinesState? {
        try? JSONDecoder().decode(JSONLinesState.self, from: Data(text.utf8))
    }
}
