/// File names and JSON Lines ids can hold control characters; warnings show them escaped so that a
/// hostile name cannot rewrite the terminal or forge a log line.
public enum ControlCharacters {
    /// C0 controls, DEL and C1 controls.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `\u{1B}` for a control character (the scalar itself for anything else).
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        isControl(scalar) ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
    }

    /// `text` with every control character escaped; the same string when it has none (the common case).
    public static func escaping(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { escaped += escape(scalar) }
        return escaped
    }
}
