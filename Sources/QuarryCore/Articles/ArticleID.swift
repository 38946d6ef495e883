/// Article ids are opaque keys: they become the `Q` term and the stored `id`, and are never used as file
/// paths (by quarry-index or by quarryd), so `../x` or `/etc/passwd` are just names. What an id may not be:
/// empty, longer than `maxBytes` (it has to fit in a request URL), or hold control characters (NUL, escape
/// sequences and newlines would corrupt logs and terminals, and cannot be typed in a URL).
public enum ArticleID {
    /// The longest id accepted, in UTF-8 bytes. Ids over 240 bytes still work: their term is shortened with a hash.
    public static let maxBytes = 1024

    /// Why `id` cannot be an article id, or nil when it can.
    public static func problem(with id: String) -> String? {
        if id.isEmpty { return "the id is empty" }
        let length = id.utf8.count
        if length > maxBytes { return "the id is \(length) bytes long, over the limit of \(maxBytes)" }
        if let control = id.unicodeScalars.first(where: ControlCharacters.isControl) {
            return "the id holds the control character \(ControlCharacters.escape(control))"
        }
        return nil
    }
}
