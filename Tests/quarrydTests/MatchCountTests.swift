import QuarryCore
import Testing

/// `total` is honest: on the samples it equals a brute-force count whatever the page size, with and without
/// filters, and says it is exact (lower == upper) — Quarry counts exactly up to 1,000 matches.
@Suite("Match counts", .timeLimit(.minutes(2)))
struct MatchCountTests {
    static let phrases = ["strike", "port strike", "floods", "comet", "the", "valmora", "said", "central bank"]
    static let limits = [0, 1, 3, 10, 1000]

    @Test(arguments: phrases)
    func countsEqualABruteForceCountForEveryLimit(phrase: String) async throws {
        let quarry = InProcessQuarry(path: try await SharedIndex.prepare())
        let expected = SampleCorpus.idsContaining(phrase: phrase)
        for limit in Self.limits {
            let total = try await quarry.search(SearchParameters(q: "\"\(phrase)\"", limit: limit, snippets: false)).total
            #expect(total == MatchCount(estimated: expected.count, lower: expected.count, upper: expected.count),
                    "\"\(phrase)\" limit \(limit)")
            #expect(total.exact)
        }
    }

    @Test(arguments: [["world"], ["business"], ["world", "business"], ["science", "sport"]])
    func filteredCountsEqualABruteForceCount(categories: [String]) async throws {
        let quarry = InProcessQuarry(path: try await SharedIndex.prepare())
        for phrase in Self.phrases {
            let expected = SampleCorpus.idsContaining(phrase: phrase).filter { id in
                categories.contains(SampleCorpus.article(id)?.category ?? "")
            }
            for limit in [1, 10] {
                let answer = try await quarry.search(
                    SearchParameters(q: "\"\(phrase)\"", limit: limit, categories: categories, snippets: false))
                #expect(answer.total.estimated == expected.count && answer.total.exact,
                        "\"\(phrase)\" in \(categories), limit \(limit): \(answer.total) for \(expected.count)")
            }
        }
        // Without words: the filter alone.
        let all = SampleCorpus.articles.filter { categories.contains($0.category ?? "") }.count
        let filterOnly = try await quarry.search(SearchParameters(q: "", limit: 1, categories: categories))
        #expect(filterOnly.total == MatchCount(estimated: all, lower: all, upper: all))
    }
}
