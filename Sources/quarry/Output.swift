import ArgumentParser
import Foundation
import QuarryClient
import QuarryCore

/// Printing results for people (bold matches on a terminal) or scripts (--json), and errors on stderr.
enum Output {
    static let isTerminal = isatty(STDOUT_FILENO) == 1

    static func call(_ socket: String, _ body: @Sendable (QuarryConnection) async throws -> HTTPResult)
        async throws -> HTTPResult
    {
        do {
            return try await QuarryConnection.with(socketPath: socket, body)
        } catch {
            fail(code: "unreachable", message: "\(error)")
        }
    }

    /// Prints a daemon response: its JSON as is with --json, else decoded and rendered; errors go to stderr.
    static func emit<T: Decodable>(_ result: HTTPResult, as type: T.Type, json: Bool, render: (T) throws -> Void)
        throws
    {
        if result.status != 200 || json {
            try emitRaw(result)
            return
        }
        try render(try JSONDecoder().decode(T.self, from: Data(result.body)))
    }

    static func emitRaw(_ result: HTTPResult) throws {
        guard result.status == 200 else {
            struct Envelope: Decodable { struct Body: Decodable { var code: String; var message: String }; var error: Body }
            let error = try? JSONDecoder().decode(Envelope.self, from: Data(result.body))
            fail(code: error?.error.code ?? "http_\(result.status)", message: error?.error.message ?? result.text)
        }
        print(result.text)
    }

    static func fail(code: String, message: String) -> Never {
        FileHandle.standardError.write(Data("quarry: \(message) [\(code)]\n".utf8))
        Foundation.exit(1)
    }

    static func emit(_ response: SearchResponse, json: Bool) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(response), as: UTF8.self))
            return
        }
        let total = response.total.estimated
        print("\(total) match\(total == 1 ? "" : "es") for \(response.query) (\(response.tookMicroseconds) µs)")
        if let suggestion = response.suggestion { print("Did you mean: \(suggestion)") }
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
        print("id: \(article.id)\n")
        print(article.text)
    }

    /// Snippets mark matches with <b>…</b>: bold on a terminal, plain elsewhere.
    static func highlight(_ snippet: String) -> String {
        let (start, end) = isTerminal ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "")
        return snippet.replacingOccurrences(of: "<b>", with: start).replacingOccurrences(of: "</b>", with: end)
    }

    static func bold(_ text: String) -> String { isTerminal ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    /// Percent-encodes an id for a URL path, keeping "/" (ids are often relative paths).
    static func pathComponent(_ id: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
