import QuarryAPI
import Testing

@Suite struct SearchLimitsTests {
    @Test func smallMaxLimitLowersTheDefaultLimit() throws {
        let decoder = SearchQueryDecoder(limits: SearchLimits(maxLimit: 5))
        #expect(try decoder.decode(QueryParameters(parsing: "q=x")).limit == 5)
    }
}
