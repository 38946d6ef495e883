import Xapian

/// A parallel update's merged database holds the index as it was (its documents first) and the batch's shards
/// (after it). This makes it what one writer's run over the same batch leaves in the index:
/// - an article of the batch replaces the index's article with the same id (one writer replaces it in place);
/// - the index's documents the run deleted (changed and vanished files' leftovers) go;
/// - the metadata is the run's: the merge keeps one source's value of a key held by both, and a key only the
///   index has (a vanished JSON Lines file's state, which the run deleted) survives it;
/// - JSON Lines tails name their documents' docids in the merged database (compaction renumbers: the index's
///   docids may shift down, the shards' come after the index's).
/// Documents are found by their unique id term, never by docid arithmetic.
enum UpdateMerge {
    /// `index` is the index as merged, `metadata` the run's metadata database as merged, `deletions` docids
    /// in `index`, `shardTails` the article id of each JSON Lines tail (by metadata key) that the shards stored.
    static func apply(to mergedPath: String, index: Database, deletions: [DocumentID], metadata: Database,
                      shardTails: [String: String]) throws(XapianError) {
        let merged = try WritableDatabase(path: mergedPath, mode: .open)
        var deleted = Set<String>()
        for docid in deletions {
            if let term = try uniqueTerm(of: docid, in: index) { deleted.insert(term) }
        }
        // An id held twice: the first posting is the index's copy, as its docids come before the shards'. (The run
        // never deletes what it replaced, so the batch's copy stays.)
        for entry in try merged.allTerms(prefix: IndexSchema.Prefix.uniqueID) where entry.count > 1 {
            try merged.deleteDocument(try merged.postings(entry.term)[0])
            deleted.remove(entry.term)
        }
        for term in deleted {
            if let docid = try merged.firstDocument(withTerm: term) { try merged.deleteDocument(docid) }
        }

        // The run's metadata is the index's as the run left it: a key the merge gave the index's value (Xapian
        // keeps one source's, in no order this can rely on) or kept though the run deleted it is put right.
        let runKeys = Set(try metadata.metadataKeys()).subtracting([IndexSchema.Metadata.buildCheckpoint])
        for key in runKeys { try merged.setMetadata(key, try metadata.metadata(key)) }
        for key in try index.metadataKeys() where !runKeys.contains(key) {
            try merged.setMetadata(key, "")  // "" deletes it
        }
        for key in try merged.metadataKeys(prefix: IndexSchema.Metadata.jsonLinesPrefix) {
            guard var state = JSONLinesState.decode(try merged.metadata(key)), let tail = state.tail else { continue }
            // A tail the run did not store names the index's document.
            let term: String?
            if let articleID = shardTails[key] {
                term = IndexSchema.uniqueTerm(for: articleID)
            } else {
                term = try uniqueTerm(of: tail, in: index)
            }
            state.tail = nil
            if let term { state.tail = try merged.firstDocument(withTerm: term) }
            try merged.setMetadata(key, state.encoded())
        }
        try merged.commit()
        try merged.close()
    }

    private static func uniqueTerm(of docid: DocumentID, in database: Database) throws(XapianError) -> String? {
        // A docid the index does not hold (0: none yet) has no term list.
        guard docid > 0, let terms = try? database.termList(docid) else { return nil }
        return terms.first { $0.term.hasPrefix(IndexSchema.Prefix.uniqueID) }?.term
    }
}
