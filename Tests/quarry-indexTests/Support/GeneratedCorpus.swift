import Foundation
import QuarryTestSupport

/// A deterministic corpus of small plain-text articles for fault tests: the same count and seed always give
/// the same files. Every article holds one word no other article has (its `token`), so a search for it finds
/// exactly that article.
struct GeneratedCorpus {
    struct Article {
        /// Relative to the corpus root: the article's id in the index.
        var path: String
        var token: String
    }

    /// In the order quarry-index reads them (the scanner sorts by relative path), which is docid order in a
    /// fresh index: article k (from 0) gets docid k + 1.
    let articles: [Article]

    /// Every unique token starts with it; no other word does.
    static let tokenPrefix = "uniq"

    private static let categories = ["business", "culture", "science", "sport", "world"]
    private static let vocabulary = """
        harbour council river bridge festival market election coalition storm ferry lantern comet rowing title \
        village bakery tram extension strike museum orchestra library vaccine research league final budget \
        tariff export harvest drought flood rescue mountain coast island railway station airport teacher \
        student hospital nurse farmer fisher painter novel theatre stadium record season goal minister
        """.split(separator: " ").map(String.init)
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]

    /// Writes `count` articles into `corpus` (about 600 bytes each).
    static func write(into corpus: TestCorpus, count: Int, seed: UInt64) throws -> GeneratedCorpus {
        var random = SeededRandom(seed: seed)
        var articles: [Article] = []
        for number in 0..<count {
            let category = categories[number % categories.count]
            let path = "\(category)/\(String(format: "%06d", number)).txt"
            let token = "\(tokenPrefix)\(number)tok"
            func words(_ n: Int) -> String {
                (0..<n).map { _ in vocabulary.randomElement(using: &random)! }.joined(separator: " ")
            }
            let date = "Published: \(Int.random(in: 1...28, using: &random)) "
                + "\(months.randomElement(using: &random)!) \(Int.random(in: 2015...2024, using: &random))"
            let text = TestCorpus.article(
                title: "\(words(4).capitalized) \(token)",
                standfirst: "\(words(12).capitalized).",
                paragraphs: ["\(words(30).capitalized) \(token).", "\(words(25).capitalized)."],
                dateLine: date)
            try corpus.write(path, text)
            articles.append(Article(path: path, token: token))
        }
        articles.sort { $0.path < $1.path }
        return GeneratedCorpus(articles: articles)
    }
}
