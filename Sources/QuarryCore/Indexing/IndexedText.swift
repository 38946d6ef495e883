import Xapian

/// How much article text an index holds, estimated: its document count times the mean size of the stored data of
/// up to `sample` documents spread over its docids. What a batch is compared with to choose a parallel update.
enum IndexedText {
    static func estimatedBytes(in database: Database, sample: Int = 64) throws(XapianError) -> Int {
        let documents = try database.documentCount()
        let last = Int(try database.lastDocumentID())
        guard documents > 0, last > 0 else { return 0 }
        let step = max(1, last / sample)
        var bytes = 0
        var read = 0
        for docid in stride(from: 1, through: last, by: step) {
            // Deleted docids are skipped (the index may have gaps).
            guard let document = try? database.document(DocumentID(docid)) else { continue }
            bytes += try document.data().count
            read += 1
        }
        return read == 0 ? 0 : bytes / read * documents
    }
}
