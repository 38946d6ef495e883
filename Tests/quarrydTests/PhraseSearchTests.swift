import Foundation
import QuarryCore
import Testing

/// Phrase search returns exactly the articles that hold the phrase, as a brute-force scan of the samples
/// (parsed with QuarryCore's own readers, tokenised as Xapian tokenises) finds them.
@Suite("quarryd: phrase search", .timeLimit(.minutes(3)))
struct PhraseSearchTests {
    static let phrases = [
        "port strike", "interest rate decision", "ground water reserves", "transport strike", "river floods",
        "dock workers", "container traffic", "comet tarrow", "the floods", "said on tuesday", "upper valmora",
        "central bank", "harbour and dockers' union", "record low",
    ]

    @Test func phraseMatchesEqualABruteForceScan() async throws {
        // The oracle itself: a few facts about the samples that the brute force must see.
        #expect(XapianWords.words("The country's busiest harbour") == ["the", "country's", "busiest", "harbour"])
        #expect(XapianWords.words("Santerra’s mayor, 2,400 dock-workers") == ["santerra's", "mayor", "2,400", "dock", "workers"])
        #expect(XapianWords.words("Dockers' Union") == ["dockers", "union"])
        #expect(SampleCorpus.articles.count == 32)

        try await withDaemon { daemon in
            try await withClient(daemon.socketPath) { client in
                var nonEmpty = 0
                for phrase in Self.phrases {
                    let expected = SampleCorpus.idsContaining(phrase: phrase)
                    if expected != SampleCorpus.idsContainingAcrossStandfirst(phrase: phrase) {
                        // Only a phrase straddling the standfirst/body boundary differs; the index keeps those apart.
                        print("note: \"\(phrase)\" straddles a standfirst/body boundary somewhere")
                    }
                    let response = try await client.search(
                        "q=\(enc("\"\(phrase)\""))&limit=1000&snippets=false")
                    let found = Set(response.hits.map(\.id))
                    #expect(found == expected, """
                        "\(phrase)": missing \(expected.subtracting(found).sorted()), \
                        unexpected \(found.subtracting(expected).sorted())
                        """)
                    #expect(response.total.estimated == expected.count, "\"\(phrase)\"")
                    if !expected.isEmpty { nonEmpty += 1 }

                    // The same phrase through POST, and capitalised: the same set.
                    let body = try JSONEncoder().encode(PostBody(q: "\"\(phrase.uppercased())\"", limit: 1000))
                    let posted = try client.decode(
                        SearchResponse.self, try await client.post("/search", json: String(decoding: body, as: UTF8.self)))
                    #expect(Set(posted.hits.map(\.id)) == expected, "POST \"\(phrase.uppercased())\"")
                }
                #expect(nonEmpty >= 10, "most test phrases occur in the samples")
            }
        }
    }

    @Test func phrasesDoNotMatchAcrossFields() async throws {
        // The last word of a title followed by the first word of its standfirst (or body) is not a phrase.
        var probes: [(phrase: String, id: String)] = []
        for article in SampleCorpus.articles {
            let title = XapianWords.words(article.title)
            let next = XapianWords.words(article.standfirst ?? article.body)
            guard let last = title.last, let first = next.first else { continue }
            let phrase = "\(last) \(first)"
            // Only probes that no field holds on its own.
            if !SampleCorpus.idsContaining(phrase: phrase).contains(article.id) { probes.append((phrase, article.id)) }
        }
        try #require(probes.count >= 10)
        try await withDaemon { daemon in
            try await withClient(daemon.socketPath) { client in
                for (phrase, id) in probes.prefix(12) {
                    let found = Set(try await client.ids("q=\(enc("\"\(phrase)\""))&limit=1000&snippets=false"))
                    #expect(!found.contains(id), "\"\(phrase)\" spans the end of \(id)'s title and the start of its text")
                    #expect(found == SampleCorpus.idsContaining(phrase: phrase), "\"\(phrase)\"")
                }
            }
        }
    }
}

private struct PostBody: Encodable {
    var q: String
    var limit: Int
    var snippets = false
}
