import Foundation

/// One article file found by CorpusScanner.
public struct CorpusEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// One article per `.txt` file.
        case text
        /// One article per line of a `.jsonl` file.
        case jsonLines
    }

    /// Absolute, standardized file URL (through symlinks as walked, not resolved).
    public var url: URL
    /// The scan root this entry came from, as given (standardized).
    public var root: URL
    /// Path relative to the root directory ("world/000.txt"); for a single-file root, its file name.
    public var relativePath: String
    public var kind: Kind
    public var size: Int
    /// Modification time in nanoseconds since 1970, for incremental re-indexing.
    public var mtimeNanoseconds: Int64
    /// For text files in a sub-folder of the root: the parent folder's name.
    public var category: String?

    public init(url: URL, root: URL, relativePath: String, kind: Kind, size: Int, mtimeNanoseconds: Int64,
                category: String?) {
        self.url = url
        self.root = root
        self.relativePath = relativePath
        self.kind = kind
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.category = category
    }

    /// size:mtime, what the index keeps to tell whether the file changed (`IndexSchema.Slot.sourceSignature`).
    public var signature: String { "\(size):\(mtimeNanoseconds)" }

    /// The kind for a file name, by extension (case-insensitive); nil for anything else.
    public static func kind(forFileName name: some StringProtocol) -> Kind? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "txt": return .text
        case "jsonl": return .jsonLines
        default: return nil
        }
    }
}
