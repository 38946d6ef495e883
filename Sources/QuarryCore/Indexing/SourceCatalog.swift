import Xapian

/// What the index already holds, by source file: read once at the start of a run from two value slots,
/// so unchanged files cost one comparison and no Xapian lookups.
struct SourceCatalog {
    struct Entry {
        var signature: String
        var documents: [DocumentID]
    }

    private(set) var entries: [String: Entry] = [:]

    init(database: Database) throws(XapianError) {
        var pathByDocument: [DocumentID: String] = [:]
        for value in try database.valueStream(slot: IndexSchema.Slot.sourcePath) {
            pathByDocument[value.docid] = String(decoding: value.value, as: UTF8.self)
        }
        for value in try database.valueStream(slot: IndexSchema.Slot.sourceSignature) {
            guard let path = pathByDocument[value.docid] else { continue }
            entries[path, default: Entry(signature: String(decoding: value.value, as: UTF8.self), documents: [])]
                .documents.append(value.docid)
        }
    }

    subscript(path: String) -> Entry? { entries[path] }

    /// Sources under any of `roots` (a folder, or one file) that the run did not see.
    func vanished(under roots: [String], seen: Set<String>) -> [(path: String, entry: Entry)] {
        entries.compactMap { path, entry in
            guard !seen.contains(path) else { return nil }
            let covered = roots.contains { root in path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
            return covered ? (path, entry) : nil
        }.sorted { $0.path < $1.path }
    }
}
