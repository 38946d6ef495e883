import Foundation
import QuarryAPI
import Testing

@Suite struct StatsResponseTests {
    @Test func statsAreOneFlatObjectWithTheServersFiguresWhenThereAreAny() throws {
        let index = IndexStats(documents: 3, terms: 40, averageLength: 12.5, revision: 2, lastModified: nil,
                               language: "english", stemming: "all_z", datedDocuments: 3)
        let daemon = StatsResponse(index: index, server: .init(uptimeSeconds: 5, queriesServed: 9))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(daemon)) as? [String: Any]
        #expect(object?["documents"] as? Int == 3)
        #expect(object?["uptimeSeconds"] as? Int == 5)
        #expect(try JSONDecoder().decode(StatsResponse.self, from: JSONEncoder().encode(daemon)) == daemon)

        let inProcess = StatsResponse(index: index)
        let plain = try JSONEncoder().encode(inProcess)
        #expect(!String(decoding: plain, as: UTF8.self).contains("uptimeSeconds"))
        #expect(try JSONDecoder().decode(StatsResponse.self, from: plain) == inProcess)
    }
}
