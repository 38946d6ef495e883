import Foundation

/// Article input written to hurt, shared by the quarry-index and quarryd tests that feed it to the real tools.
public enum HostileArticles {
    /// Ids that look like paths (or are merely odd): kept verbatim as ids, never used as paths.
    public static let pathLikeIDs: [String] = [
        "../x", "/etc/passwd", "a/../../b", "../../../../../../etc/shadow", "a//b/", "./dot", "~root",
        // 600 bytes: over Xapian's term limit, so its unique term is shortened with a hash.
        String(repeating: "long-id/", count: 75),
    ]

    /// A word found only in the article with the path-like id at `index`.
    public static func token(forPathLikeID index: Int) -> String { "hostileid\(index)x" }

    /// JSON Lines ids that must be refused, as JSON literals, with the reason quarry-index gives.
    public static let refusedIDs: [(json: String, reason: String)] = [
        (#""""#, "missingField"),
        (#""a\u0000b""#, "invalidID"),
        (#""\u001b[2Jwiped""#, "invalidID"),
        (#""tab\there""#, "invalidID"),
        ("\"" + String(repeating: "y", count: 2_000) + "\"", "invalidID"),
    ]

    /// One line per path-like id, then one per refused id.
    public static func idFeed() -> String {
        var lines: [String] = []
        for (index, id) in pathLikeIDs.enumerated() {
            let object = ["id": id, "title": "Path-like id \(index)", "text": "Filed under \(token(forPathLikeID: index))."]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        for refused in refusedIDs {
            lines.append(#"{"id": \#(refused.json), "title": "Refused id", "text": "Never indexed."}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
