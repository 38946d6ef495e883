import Foundation
import QuarryAPI

/// Printing answers for people (bold matches on a terminal) or scripts (--json), and errors on stderr.
enum Output {
    static let isTerminal = isatty(STDOUT_FILENO) == 1

    static func fail(code: String, message: String) -> Never {
        FileHandle.standardError.write(Data("quarry: \(message) [\(code)]\n".utf8))
        Foundation.exit(1)
    }

    /// The answer as the API's JSON, keys sorted: the same bytes whether it came from quarryd or --db.
    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            fail(code: "internal", message: "cannot encode the answer: \(error)")
        }
    }

    static func printSearch(_ response: SearchResponse) {
        let total = response.total.estimated
        let count = (response.total.exact ? "" : "about ") + "\(total) match\(total == 1 ? "" : "es")"
        print("\(count) for \(response.query) (\(response.tookMicroseconds) µs)")
        if let suggestion = response.suggestion { print("Did you mean: \(suggestion)") }
        for note in response.notes ?? [] { print("note: \(note)") }
        for hit in response.hits {
            let date = hit.date?.iso ?? "          "
            let category = hit.category.map { "  [\($0)]" } ?? ""
            print("\(String(hit.rank).leftPad(3)). \(date)  \(bold(hit.title))\(category)  (\(hit.percent)%)")
            print("     \(hit.id)")
            if let snippet = hit.snippet, !snippet.isEmpty {
                print("     " + highlight(snippet).replacingOccurrences(of: "\n", with: " "))
            }
        }
        for (name, counts) in (response.facets ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("\(name): " + counts.map { "\($0.value) (\($0.count))" }.joined(separator: ", "))
        }
    }

    static func printArticle(_ article: StoredArticle) {
        print(bold(article.title))
        let facts = [article.date?.iso, article.category, article.author, article.url].compactMap { $0 }
        if !facts.isEmpty { print(facts.joined(separator: " · ")) }
        print("id: \(article.id)")
        for (name, value) in (article.extra ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("\(name): \(value.displayText)")
        }
        if let standfirst = article.standfirst, !standfirst.isEmpty { print("\n" + bold(standfirst)) }
        if !article.body.isEmpty { print("\n" + article.body) }
    }

    static func printStats(_ stats: StatsResponse) {
        let index = stats.index
        print("documents   \(index.documents)")
        print("terms       \(index.terms)")
        print("avg length  \(String(format: "%.1f", index.averageLength)) terms")
        print("language    \(index.language), stemming \(index.stemming)")
        print("dated       \(index.datedDocuments) of \(index.documents) articles have a date")
        print("revision    \(index.revision)" + (index.lastModified.map { " (\($0))" } ?? ""))
        if let server = stats.server {
            print("uptime      \(server.uptimeSeconds) s")
            print("queries     \(server.queriesServed)")
        }
    }

    /// Snippets are HTML (Xapian escapes the text and marks matches with <b>…</b>): for people, the marks become
    /// bold on a terminal (nothing elsewhere) and the escapes their characters.
    static func highlight(_ snippet: String) -> String {
        let (start, end) = isTerminal ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "")
        return unescapingHTML(snippet.replacingOccurrences(of: "<b>", with: start).replacingOccurrences(of: "</b>", with: end))
    }

    /// The character references Xapian's snippets use; "&amp;" last, so "&amp;lt;" stays "&lt;".
    static func unescapingHTML(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")]
            .reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    static func bold(_ text: String) -> String { isTerminal ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

extension JSONValue {
    /// A field value on one line: strings as they are, lists comma-separated, anything else as JSON.
    var displayText: String {
        switch self {
        case .string(let text): text
        case .array(let values): values.map(\.displayText).joined(separator: ", ")
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .object:
            (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }
}
