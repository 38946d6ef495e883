/// RFC 3986 percent-encoding for the targets clients send: everything but the unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) is escaped, and in paths "/" is kept (article ids are often relative paths).
public enum PercentEncoding {
    /// A query-string name or value (`PercentDecoding` with `plusAsSpace` reads it back).
    public static func queryComponent(_ text: String) -> String {
        encode(text, keeping: nil)
    }

    /// A path, "/" kept: `world/a b.txt` → `world/a%20b.txt`.
    public static func path(_ text: String) -> String {
        encode(text, keeping: UInt8(ascii: "/"))
    }

    private static func encode(_ text: String, keeping extra: UInt8?) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || byte == extra {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"): true
        default: false
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
