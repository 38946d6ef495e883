import Foundation
import Testing
@testable import QuarryCore
import Xapian

/// An index keyed by article id rather than docid, with the docid-independent facts that must not depend on how
/// it was built.
struct IndexByID {
    struct Document: Equatable {
        var data: [UInt8]
        var values: [DocumentValue]
        var terms: [String: (wdf: Int, positions: [Int])]

        static func == (a: Document, b: Document) -> Bool {
            a.data == b.data && a.values == b.values && a.terms.count == b.terms.count
                && a.terms.allSatisfy { term, entry in
                    b.terms[term].map { $0.wdf == entry.wdf && $0.positions == entry.positions } ?? false
                }
        }
    }

    var documents: [String: Document] = [:]
    var statistics: [String] = []
    var spellings: [TermCount]
    /// Metadata with each JSON Lines state's tail docid replaced by that document's id term.
    var metadata: [String: String] = [:]

    init(path: String) throws {
        let database = try Database(path: path)
        var idOf: [DocumentID: String] = [:]
        for docid in try database.postings("") {
            let terms = try database.termList(docid)
            let id = try #require(terms.first { $0.term.hasPrefix(IndexSchema.Prefix.uniqueID) }?.term)
            idOf[docid] = id
            let positions = try database.termPositions(docid)
            let document = try database.document(docid)
            documents[id] = Document(
                data: try document.data(), values: try document.values(),
                terms: Dictionary(uniqueKeysWithValues: terms.map { ($0.term, ($0.count, positions[$0.term] ?? [])) }))
        }
        statistics = [
            "docs \(try database.documentCount())", "length \(try database.totalLength())",
            "terms \(try database.allTerms().map { "\($0.term):\($0.count)" }.joined(separator: ","))",
        ]
        spellings = try database.spellings()
        for key in try database.metadataKeys() {
            var value = try database.metadata(key)
            if key.hasPrefix(IndexSchema.Metadata.jsonLinesPrefix),
               var object = try JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any] {
                if let tail = object["tail"] as? Int { object["tail"] = idOf[DocumentID(tail)] ?? "missing \(tail)" }
                value = String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys),
                               as: UTF8.self)
            }
            metadata[key] = value
        }
    }
}
