import CXapian

/// A Xapian document: data, values and terms. Build one, hand it to a WritableDatabase.
public final class Document {
    let handle: OpaquePointer

    public init() {
        guard let handle = qx_document_new() else { fatalError("out of memory allocating a Xapian document") }
        self.handle = handle
    }

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { qx_document_free(handle) }

    public func docid() throws(XapianError) -> DocumentID {
        var out: UInt32 = 0
        try shimCall { qx_document_docid(handle, &out, $0) }
        return out
    }

    public func data() throws(XapianError) -> [UInt8] {
        try bytesResult { qx_document_data(handle, $0, $1) }
    }

    public func setData(_ data: [UInt8]) throws(XapianError) {
        try shimCall { err in withBytes(data) { qx_document_set_data(handle, $0, $1, err) } }
    }

    public func setData(_ data: String) throws(XapianError) {
        try shimCall { err in withBytes(data) { qx_document_set_data(handle, $0, $1, err) } }
    }

    /// The value in `slot`, or an empty array when there is none.
    public func value(_ slot: ValueSlot) throws(XapianError) -> [UInt8] {
        try bytesResult { qx_document_value(handle, slot, $0, $1) }
    }

    public func stringValue(_ slot: ValueSlot) throws(XapianError) -> String {
        try stringResult { qx_document_value(handle, slot, $0, $1) }
    }

    public func addValue(_ slot: ValueSlot, _ value: [UInt8]) throws(XapianError) {
        try shimCall { err in withBytes(value) { qx_document_add_value(handle, slot, $0, $1, err) } }
    }

    public func addValue(_ slot: ValueSlot, _ value: String) throws(XapianError) {
        try shimCall { err in withBytes(value) { qx_document_add_value(handle, slot, $0, $1, err) } }
    }

    public func addTerm(_ term: String, wdfIncrement: Int = 1) throws(XapianError) {
        try shimCall { err in withBytes(term) { qx_document_add_term(handle, $0, $1, UInt32(wdfIncrement), err) } }
    }

    /// A term that filters but doesn't weigh (wdf 0): ids, categories, dates.
    public func addBooleanTerm(_ term: String) throws(XapianError) {
        try shimCall { err in withBytes(term) { qx_document_add_boolean_term(handle, $0, $1, err) } }
    }

    public func addPosting(_ term: String, position: Int, wdfIncrement: Int = 1) throws(XapianError) {
        try shimCall { err in
            withBytes(term) { qx_document_add_posting(handle, $0, $1, UInt32(position), UInt32(wdfIncrement), err) }
        }
    }

    /// Every value the document holds, by ascending slot.
    public func values() throws(XapianError) -> [DocumentValue] {
        try listResult({ qx_document_values(handle, $0, $1) }) { bytes, number, _ in
            DocumentValue(slot: ValueSlot(number), value: Array(bytes))
        }
    }

    public func terms() throws(XapianError) -> [TermCount] {
        try listResult({ qx_document_termlist(handle, $0, $1) }) { bytes, number, _ in
            TermCount(term: String(utf8Bytes: bytes), count: Int(number))
        }
    }

    /// The terms holding a non-ASCII byte, with their wdf (an accent fold can change only these).
    public func nonASCIITerms() throws(XapianError) -> [TermCount] {
        try listResult({ qx_document_termlist_non_ascii(handle, $0, $1) }) { bytes, number, _ in
            TermCount(term: String(utf8Bytes: bytes), count: Int(number))
        }
    }

    /// The positions of `term` in this document (empty for a term without positions).
    public func positions(of term: String) throws(XapianError) -> [Int] {
        try listResult({ out, err in withBytes(term) { qx_document_positionlist(handle, $0, $1, out, err) } }) {
            _, number, _ in Int(number)
        }
    }
}
