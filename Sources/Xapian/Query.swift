import CXapian

/// An immutable Xapian query tree.
public final class Query: CustomStringConvertible {
    let handle: OpaquePointer

    /// Xapian::Query::op.
    public enum Operator: Int32, Sendable {
        case and = 0, or = 1, andNot = 2, xor = 3, andMaybe = 4, filter = 5, near = 6, phrase = 7
        case eliteSet = 10, synonym = 13, max = 14
    }

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { qx_query_free(handle) }

    public convenience init(term: String, wqf: Int = 1, position: Int = 0) throws(XapianError) {
        var out: OpaquePointer?
        try shimCall { err in withBytes(term) { qx_query_new_term($0, $1, UInt32(wqf), UInt32(position), &out, err) } }
        self.init(handle: out!)
    }

    /// Combines subqueries. `parameter` is the window of `.near`/`.phrase` or the size of `.eliteSet`.
    public convenience init(_ op: Operator, _ subqueries: [Query], parameter: Int = 0) throws(XapianError) {
        var out: OpaquePointer?
        let handles: [OpaquePointer?] = subqueries.map { $0.handle }
        try shimCall { err in
            handles.withUnsafeBufferPointer {
                qx_query_new_combined(op.rawValue, $0.baseAddress, $0.count, UInt32(parameter), &out, err)
            }
        }
        withExtendedLifetime(subqueries) {}
        self.init(handle: out!)
    }

    /// Documents whose value in `slot` lies in begin...end (byte order).
    public static func valueRange(slot: ValueSlot, from begin: [UInt8], to end: [UInt8]) throws(XapianError) -> Query {
        var out: OpaquePointer?
        try shimCall { err in
            withBytes(begin) { b, bn in withBytes(end) { qx_query_new_value_range(slot, b, bn, $0, $1, &out, err) } }
        }
        return Query(handle: out!)
    }

    public static func valueAtLeast(slot: ValueSlot, _ limit: [UInt8]) throws(XapianError) -> Query {
        var out: OpaquePointer?
        try shimCall { err in withBytes(limit) { qx_query_new_value_ge(slot, $0, $1, &out, err) } }
        return Query(handle: out!)
    }

    public static func valueAtMost(slot: ValueSlot, _ limit: [UInt8]) throws(XapianError) -> Query {
        var out: OpaquePointer?
        try shimCall { err in withBytes(limit) { qx_query_new_value_le(slot, $0, $1, &out, err) } }
        return Query(handle: out!)
    }

    /// This query with every weight multiplied by `factor` (0 makes it a pure filter).
    public func scaled(by factor: Double) throws(XapianError) -> Query {
        var out: OpaquePointer?
        try shimCall { qx_query_new_scaled(handle, factor, &out, $0) }
        return Query(handle: out!)
    }

    /// Weighs each document by `maxWeight * 2^(-(origin - value)/halfLife)`, the value being a
    /// sortable-serialised number in `slot` (for example a date as days since 1970).
    public static func decay(slot: ValueSlot, origin: Double, halfLife: Double, maxWeight: Double)
        throws(XapianError) -> Query
    {
        var out: OpaquePointer?
        try shimCall { qx_query_new_decay(slot, origin, halfLife, maxWeight, &out, $0) }
        return Query(handle: out!)
    }

    public static var matchAll: Query { Query(handle: qx_query_new_match_all()!) }
    public static var matchNothing: Query { Query(handle: qx_query_new_match_nothing()!) }

    public var isEmpty: Bool { qx_query_is_empty(handle) != 0 }

    public var description: String {
        var out = qx_query_description(handle)
        return out.takeString()
    }

    /// The distinct terms of the query.
    public func terms() throws(XapianError) -> [String] {
        try listResult({ qx_query_terms(handle, $0, $1) }) { bytes, _, _ in String(utf8Bytes: bytes) }
    }
}
