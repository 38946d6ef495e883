import CXapian

/// Xapian's sortable_serialise: numbers encoded so that byte order equals numeric order, for value slots.
public enum SortableNumber {
    public static func serialise(_ value: Double) -> [UInt8] {
        var out = qx_sortable_serialise(value)
        return out.takeBytes()
    }

    public static func unserialise(_ bytes: [UInt8]) -> Double {
        withBytes(bytes) { qx_sortable_unserialise($0, $1) }
    }
}
