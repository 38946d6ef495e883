import Foundation
import Xapian

/// Accent-folded copies of a document's words, so that `cafe` finds "Café" while `café` still finds only the
/// accented spelling: every free-text term with a diacritic (plain, title `S`, author `A`, and their `Z` stems)
/// gets a folded twin with the same positions and wdf. Phrases therefore match across spellings, and a word
/// written both ways in one article counts once per occurrence under its folded form. Query text is left as typed.
///
/// Only terms holding a non-ASCII byte are looked at (the shim filters them), so an English article costs one
/// call that returns a handful of terms.
enum AccentFolding {
    /// Free-text prefixes, stemmed or not; boolean terms (ids, categories, URLs) are exact and never folded.
    static let foldedPrefixes: Set<Substring> = ["", "Z", "S", "ZS", "A", "ZA"]

    static func addFoldedTerms(to document: Document) throws(XapianError) {
        for entry in try document.nonASCIITerms() {
            guard let folded = fold(entry.term) else { continue }
            let positions = try document.positions(of: entry.term)
            for position in positions {
                try document.addPosting(folded, position: position, wdfIncrement: 0)
            }
            try document.addTerm(folded, wdfIncrement: entry.count)
        }
    }

    /// The term with its diacritics removed, or nil when folding changes nothing or the term is not free text.
    static func fold(_ term: String) -> String? {
        let prefix = term.prefix { $0.isASCII && $0.isUppercase }
        guard foldedPrefixes.contains(prefix) else { return nil }
        let folded = term.folding(options: .diacriticInsensitive, locale: nil)
        return folded == term || folded.isEmpty ? nil : folded
    }
}
