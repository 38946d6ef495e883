import Xapian

/// Everything an index holds, read through the wrapper: each document's data, values and terms (with wdf
/// and positions), the metadata and the spelling data. Two indexes built from the same articles in the same
/// order are equal, docid for docid.
struct IndexContents: Equatable {
    struct Term: Equatable {
        var term: String
        var wdf: Int
        var positions: [Int]
    }

    struct StoredDocument: Equatable {
        var docid: DocumentID
        var data: [UInt8]
        var values: [DocumentValue]
        var terms: [Term]
    }

    /// In docid order.
    var documents: [StoredDocument]
    var lastDocumentID: DocumentID
    var metadata: [String: String]
    var spellings: [TermCount]

    init(path: String) throws {
        let database = try Database(path: path)
        lastDocumentID = try database.lastDocumentID()
        // The empty term's posting list is every document.
        documents = try database.postings("").map { docid in
            let document = try database.document(docid)
            let positions = try database.termPositions(docid)
            let terms = try database.termList(docid).map { term in
                Term(term: term.term, wdf: term.count, positions: positions[term.term] ?? [])
            }
            return StoredDocument(docid: docid, data: try document.data(), values: try document.values(), terms: terms)
        }
        metadata = [:]
        for key in try database.metadataKeys() { metadata[key] = try database.metadata(key) }
        spellings = try database.spellings()
    }

    /// The first few spelling words whose frequency differs from `other`'s ("word: mine vs theirs").
    func spellingDifferences(from other: [TermCount], limit: Int = 5) -> [String] {
        let mine = Dictionary(uniqueKeysWithValues: spellings.map { ($0.term, $0.count) })
        let theirs = Dictionary(uniqueKeysWithValues: other.map { ($0.term, $0.count) })
        return Set(mine.keys).union(theirs.keys).sorted().filter { mine[$0] != theirs[$0] }.prefix(limit)
            .map { "\($0): \(mine[$0] ?? 0) vs \(theirs[$0] ?? 0)" }
    }

    /// The first few ways the documents differ from `other`'s, for a failure message that says where.
    func documentDifferences(from other: [StoredDocument], limit: Int = 3) -> [String] {
        var found: [String] = []
        if documents.count != other.count { found.append("\(documents.count) documents, expected \(other.count)") }
        for (mine, theirs) in zip(documents, other) where mine != theirs {
            var parts: [String] = []
            if mine.docid != theirs.docid { parts.append("docid \(mine.docid) vs \(theirs.docid)") }
            if mine.data != theirs.data { parts.append("data") }
            if mine.values != theirs.values { parts.append("values") }
            if mine.terms != theirs.terms {
                let first = zip(mine.terms, theirs.terms).first { $0 != $1 }
                parts.append("terms (\(mine.terms.count) vs \(theirs.terms.count); first difference: "
                    + "\(first.map { "\($0.0) vs \($0.1)" } ?? "one list is a prefix of the other"))")
            }
            found.append("document \(mine.docid) differs in " + parts.joined(separator: ", "))
            if found.count >= limit { break }
        }
        return found
    }
}
