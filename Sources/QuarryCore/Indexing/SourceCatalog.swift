import Xapian

/// What the index already holds, by source file: read once at the start of a run from two value slots and the
/// JSON Lines states in the metadata, so unchanged files cost one comparison and no Xapian lookups.
struct SourceCatalog {
    struct Entry {
        /// The first document's slot 6 (size:mtime, or a JSON Lines file's stamp).
        var signature: String
        var documents: [DocumentID]
        /// The documents whose slot 6 differs from `signature` (a JSON Lines file whose re-index was stopped
        /// half-way holds two stamps); usually empty.
        var otherStamps: [DocumentID: String] = [:]

        func stamp(of docid: DocumentID) -> String { otherStamps[docid] ?? signature }
    }

    private(set) var entries: [String: Entry] = [:]
    /// How far each JSON Lines file was read, by path.
    private(set) var jsonLines: [String: JSONLinesState] = [:]

    init(database: Database) throws(XapianError) {
        var pathByDocument: [DocumentID: String] = [:]
        for value in try database.valueStream(slot: IndexSchema.Slot.sourcePath) {
            pathByDocument[value.docid] = String(decoding: value.value, as: UTF8.self)
        }
        for value in try database.valueStream(slot: IndexSchema.Slot.sourceSignature) {
            guard let path = pathByDocument[value.docid] else { continue }
            let stamp = String(decoding: value.value, as: UTF8.self)
            if entries[path] == nil {
                entries[path] = Entry(signature: stamp, documents: [value.docid])
            } else {
                entries[path]!.documents.append(value.docid)
                if entries[path]!.signature != stamp { entries[path]!.otherStamps[value.docid] = stamp }
            }
        }
        for key in try database.metadataKeys(prefix: IndexSchema.Metadata.jsonLinesPrefix) {
            if let state = JSONLinesState.decode(try database.metadata(key)) { jsonLines[state.path] = state }
        }
    }

    subscript(path: String) -> Entry? { entries[path] }

    /// Whether a run skips `entry`: a text file indexed in this very version (size:mtime), a JSON Lines file whose
    /// state says this very version was read to the end, or one indexed whole before read states existed (a
    /// later change re-reads it once, whole).
    func isUnchanged(_ entry: CorpusEntry) -> Bool {
        let path = entry.url.path
        if entry.kind == .jsonLines, let state = jsonLines[path] { return state.complete == entry.signature }
        guard let known = self[path], known.signature == entry.signature else { return false }
        return entry.kind == .text || known.otherStamps.isEmpty
    }

    /// What a run will read of `entry`: nothing when unchanged, the part past where the last read stopped of a
    /// JSON Lines file read before (all of it, should its start have changed: found only when reading), else
    /// the whole file.
    func bytesToRead(_ entry: CorpusEntry) -> Int {
        if isUnchanged(entry) { return 0 }
        if entry.kind == .jsonLines, let state = jsonLines[entry.url.path] {
            return max(0, entry.size - state.position.offset)
        }
        return entry.size
    }

    /// Sources under any of `roots` (a folder, or one file) that the run did not see.
    func vanished(under roots: [String], seen: Set<String>) -> [(path: String, entry: Entry)] {
        entries.compactMap { path, entry in
            guard !seen.contains(path), Self.isCovered(path, by: roots) else { return nil }
            return (path, entry)
        }.sorted { $0.path < $1.path }
    }

    /// JSON Lines states of files under any of `roots` that the run did not see.
    func vanishedJSONLines(under roots: [String], seen: Set<String>) -> [String] {
        jsonLines.keys.filter { !seen.contains($0) && Self.isCovered($0, by: roots) }.sorted()
    }

    private static func isCovered(_ path: String, by roots: [String]) -> Bool {
        roots.contains { root in path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }
}
