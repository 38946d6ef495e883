/// RFC 3986 percent-decoding, strict: a bad escape or bytes that are not UTF-8 give nil rather than a guess.
///
/// Works on UTF-8 bytes: this runs on every request, on the event loop, and `Substring` index arithmetic
/// costs several times more than a pass over contiguous bytes.
public enum PercentDecoding {
    /// - Parameter plusAsSpace: true for query strings (form encoding), false for path segments.
    public static func decode(_ text: Substring, plusAsSpace: Bool) -> String? {
        var text = text
        return text.withUTF8 { decode($0, plusAsSpace: plusAsSpace) }
    }

    /// Decodes raw bytes (a piece of a request target, which NIO hands over as valid UTF-8).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, plusAsSpace: Bool) -> String? {
        // Fast path: nothing to decode.
        let plus: UInt8 = plusAsSpace ? UInt8(ascii: "+") : UInt8(ascii: "%")
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == plus }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                decoded.append(high << 4 | low)
                index += 3
                continue
            case UInt8(ascii: "+") where plusAsSpace:
                decoded.append(UInt8(ascii: " "))
            default:
                decoded.append(byte)
            }
            index += 1
        }
        return String(validating: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
