import Foundation
import QuarryCore
import QuarryTestSupport

/// The samples, read with QuarryCore's own scanner and parsers exactly as quarry-index reads them, for
/// computing by brute force what a search must return.
enum SampleCorpus {
    /// Every article, ids as the index has them (text files: path relative to samples/).
    static let articles: [Article] = ArticleCorpus.read(roots: [RepositoryPaths.samples])

    static func article(_ id: String) -> Article? {
        articles.first { $0.id == id }
    }

    /// Ids of the articles that hold `phrase` as consecutive words within one indexed field. The index puts a
    /// position gap between title, standfirst and body, so a phrase never matches across those boundaries;
    /// within the body it may span paragraphs.
    static func idsContaining(phrase: String) -> Set<String> {
        let wanted = XapianWords.words(phrase)
        guard !wanted.isEmpty else { return [] }
        return Set(articles.filter { article in
            fields(of: article).contains { XapianWords.words($0).containsRun(wanted) }
        }.map(\.id))
    }

    /// Like `idsContaining(phrase:)` but with standfirst and body read as one run of words.
    static func idsContainingAcrossStandfirst(phrase: String) -> Set<String> {
        let wanted = XapianWords.words(phrase)
        return Set(articles.filter { article in
            XapianWords.words(article.title).containsRun(wanted) || XapianWords.words(article.text).containsRun(wanted)
        }.map(\.id))
    }

    /// Ids of the articles with a word in title, standfirst or body satisfying `predicate`.
    static func ids(withWord predicate: (String) -> Bool) -> Set<String> {
        Set(articles.filter { article in
            fields(of: article).contains { XapianWords.words($0).contains(where: predicate) }
        }.map(\.id))
    }

    /// The free-text fields as the index positions them (author is indexed only under its prefix).
    static func fields(of article: Article) -> [String] {
        [article.title, article.standfirst ?? "", article.body]
    }
}

/// Splits text into the words Xapian's TermGenerator indexes with positions (its `termgenerator_internal.cc`):
/// runs of letters, marks, digits and connector punctuation, lower-cased; an apostrophe (' ’ ‛), `&`, `·` and
/// a few other infix characters join two word characters; `.` `,` `;` join two digits; single upper-case letters
/// separated by dots are an acronym ("U.N." → "un"); up to three trailing `+`/`#` stay on the word ("c++").
enum XapianWords {
    static let maxWordBytes = 64

    static func words(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        var index = 0
        let end = scalars.count

        func emit(_ word: String) {
            if !word.isEmpty && word.utf8.count <= maxWordBytes { words.append(word) }
        }

        while true {
            while index < end && !isWordChar(scalars[index]) { index += 1 }
            if index == end { break }

            // Initials: "U.N.", "P.T.O".
            if isUpper(scalars[index]) {
                var term = ""
                var p = index
                while true {
                    term += lower(scalars[p])
                    p += 1
                    guard p < end, scalars[p] == ".", p + 1 < end, isUpper(scalars[p + 1]) else {
                        if p < end && scalars[p] == "." { p += 1 }
                        break
                    }
                    p += 1
                }
                if term.utf8.count > 1 && (p == end || !isWordChar(scalars[p])) {
                    emit(term)
                    index = p
                    continue
                }
            }

            var term = ""
            var previous = scalars[index]
            while true {
                while index < end && isWordChar(scalars[index]) {
                    term += lower(scalars[index])
                    previous = scalars[index]
                    index += 1
                }
                guard index < end, index + 1 < end, isWordChar(scalars[index + 1]) else { break }
                let infix = scalars[index]
                let joined: String?
                if isDigit(previous) && isDigit(scalars[index + 1]) {
                    joined = infixDigit(infix)
                } else {
                    joined = infixOther(infix)
                }
                guard let joined else { break }
                term += joined
                index += 1
            }
            // Suffixes: "c++", "c#" (at most three, and not if a word character follows).
            var suffix = ""
            while index < end, scalars[index] == "+" || scalars[index] == "#" {
                guard suffix.count < 3 else { suffix = ""; break }
                suffix += String(scalars[index])
                index += 1
            }
            if index < end && isWordChar(scalars[index]) { suffix = "" }
            term += suffix
            emit(term)
        }
        return words
    }

    static func isWordChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .enclosingMark, .spacingMark,
             .decimalNumber, .letterNumber, .otherNumber, .connectorPunctuation:
            true
        default:
            false
        }
    }

    private static func isUpper(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .uppercaseLetter
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }

    private static func lower(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.lowercaseMapping
    }

    /// Characters that join two word characters: nil = a word break; "" = ignored (zero-width).
    private static func infixOther(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x27, 0x26, 0xB7, 0x5F4, 0x2027: String(scalar)
        case 0x2019, 0x201B: "'"
        case 0x200B...0x200D, 0x2060, 0xFEFF: ""
        default: nil
        }
    }

    private static func infixDigit(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x2C, 0x2E, 0x3B, 0x37E, 0x589, 0x60D, 0x7F8, 0x2044, 0xFE10, 0xFE13, 0xFE14: String(scalar)
        case 0x200B...0x200D, 0x2060, 0xFEFF: ""
        default: nil
        }
    }
}

extension Array where Element == String {
    /// True when `run` occurs as consecutive elements.
    func containsRun(_ run: [String]) -> Bool {
        guard !run.isEmpty, run.count <= count else { return false }
        for start in 0...(count - run.count) where self[start] == run[0] {
            if Array(self[start..<start + run.count]) == run { return true }
        }
        return false
    }
}
