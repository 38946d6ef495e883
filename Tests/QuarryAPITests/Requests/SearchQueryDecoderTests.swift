@testable import QuarryAPI
import Testing

@Suite("GET /search parameters")
struct SearchQueryDecodingTests {
    let decoder = SearchQueryDecoder(limits: SearchLimits())

    func decode(_ query: String) throws(APIError) -> SearchRequest {
        try decoder.decode(QueryParameters(parsing: query[...]))
    }

    /// The error for `query`, which must be a 400 bad_parameter naming `parameter`.
    func expectBadParameter(_ query: String, _ parameter: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let request = try decode(query)
            Issue.record("expected 400 for \(query), got \(request)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.status == 400, sourceLocation: sourceLocation)
            #expect(error.code == "bad_parameter", sourceLocation: sourceLocation)
            #expect(error.message.hasPrefix("\(parameter):"), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func qAloneGivesTheDefaults() throws {
        #expect(try decode("q=gaza") == SearchRequest(q: "gaza"))
        let request = try decode("q=gaza")
        #expect(request.limit == 10 && request.offset == 0 && request.sort == .relevance)
        #expect(request.snippets == true && request.collapse == false && request.recency == nil)
    }

    @Test func everyParameter() throws {
        let request = try decode(
            "q=gaza+ceasefire&limit=25&offset=50&category=world&from=2023-10-01&to=20231031&sort=-date"
            + "&facets=category,month&snippets=no&collapse=yes&recency=7.5")
        #expect(request == SearchRequest(
            q: "gaza ceasefire", limit: 25, offset: 50, categories: ["world"],
            from: ArticleDate(yyyymmdd: "20231001"), to: ArticleDate(yyyymmdd: "2023-10-31"), sort: .dateDescending,
            facets: [.category, .month], snippets: false, collapse: true, recency: 7.5))
    }

    @Test func categoriesRepeatOrCommaSeparateAndDeduplicate() throws {
        #expect(try decode("q=x&category=world&category=sport").categories == ["world", "sport"])
        #expect(try decode("q=x&category=world,%20sport,,").categories == ["world", "sport"])
        #expect(try decode("q=x&category=world&categories=sport,world").categories == ["world", "sport"])
    }

    @Test func facetsRepeatOrCommaSeparate() throws {
        #expect(try decode("q=x&facets=month&facets=category,month").facets == [.month, .category])
    }

    @Test(arguments: [("true", true), ("1", true), ("yes", true), ("YES", true), ("True", true),
                      ("false", false), ("0", false), ("no", false), ("No", false)])
    func booleanSpellings(text: String, value: Bool) throws {
        #expect(try decode("q=x&snippets=\(text)").snippets == value)
        #expect(try decode("q=x&collapse=\(text)").collapse == value)
    }

    @Test(arguments: ["snippets", "collapse"])
    func badBoolean(name: String) {
        expectBadParameter("q=x&\(name)=maybe", name)
        expectBadParameter("q=x&\(name)=", name)
    }

    @Test func sortOrders() throws {
        #expect(try decode("q=x&sort=relevance").sort == .relevance)
        #expect(try decode("q=x&sort=date").sort == .date)
        #expect(try decode("q=x&sort=-date").sort == .dateDescending)
        expectBadParameter("q=x&sort=newest", "sort")
    }

    @Test func queryModes() throws {
        #expect(try decode("q=x").mode == .auto)
        #expect(try decode("q=x&mode=words").mode == .words)
        #expect(try decode("q=x&mode=syntax").mode == .syntax)
        #expect(try decode("q=x&mode=auto").mode == .auto)
        expectBadParameter("q=x&mode=prose", "mode")
        #expect(try decode("q=x").feedback == nil)
        #expect(try decode("q=x&feedback=true").feedback == true)
        #expect(try decode("q=x&feedback=false").feedback == false)
        expectBadParameter("q=x&feedback=maybe", "feedback")
    }

    @Test func datesInBothSpellings() throws {
        let request = try decode("q=x&from=20230101&to=2023-12-31")
        #expect(request.from?.iso == "2023-01-01")
        #expect(request.to?.iso == "2023-12-31")
        #expect(try decode("q=x&from=2023-05-05&to=2023-05-05").from?.iso == "2023-05-05")
    }

    @Test(arguments: ["from", "to"])
    func badDatesNameTheParameter(name: String) {
        expectBadParameter("q=x&\(name)=yesterday", name)
        expectBadParameter("q=x&\(name)=2023-13-01", name)
        expectBadParameter("q=x&\(name)=2023101", name)
    }

    @Test func fromAfterToIsRejected() {
        expectBadParameter("q=x&from=2023-10-02&to=2023-10-01", "from")
    }

    @Test func limitBounds() throws {
        #expect(try decode("q=x&limit=0").limit == 0)
        #expect(try decode("q=x&limit=1000").limit == 1000)
        expectBadParameter("q=x&limit=1001", "limit")
        expectBadParameter("q=x&limit=-1", "limit")
        expectBadParameter("q=x&limit=ten", "limit")
        expectBadParameter("q=x&limit=1.5", "limit")
    }

    @Test func limitMaximumIsConfigurable() throws {
        let small = SearchQueryDecoder(limits: SearchLimits(maxLimit: 50))
        #expect(try small.decode(QueryParameters(parsing: "q=x&limit=50")).limit == 50)
        #expect(throws: APIError.self) { try small.decode(QueryParameters(parsing: "q=x&limit=51")) }
    }

    @Test func offsetBounds() throws {
        #expect(try decode("q=x&offset=100000").offset == 100_000)
        expectBadParameter("q=x&offset=100001", "offset")
        expectBadParameter("q=x&offset=-5", "offset")
        expectBadParameter("q=x&offset=", "offset")
    }

    @Test func recencyMustBePositiveDays() throws {
        #expect(try decode("q=x&recency=30").recency == 30)
        #expect(try decode("q=x&recency=0.5").recency == 0.5)
        for bad in ["0", "-1", "abc", "inf", "nan"] {
            expectBadParameter("q=x&recency=\(bad)", "recency")
        }
    }

    @Test func facetsMustBeKnown() {
        expectBadParameter("q=x&facets=category,author", "facets")
    }

    @Test func qIsRequired() {
        expectBadParameter("limit=5", "q")
        expectBadParameter("", "q")
    }

    @Test func blankQNeedsAFilter() throws {
        expectBadParameter("q=", "q")
        expectBadParameter("q=+++", "q")
        expectBadParameter("q=&recency=7", "q")  // recency ranks, it does not filter
        #expect(try decode("q=&category=world").q == "")
        #expect(try decode("q=%20&from=2023-01-01").q == "")
        #expect(try decode("q=&to=2023-01-01").q == "")
    }

    @Test func qLengthIsLimitedInBytes() throws {
        let limits = SearchQueryDecoder(limits: SearchLimits(queryMaxBytes: 8))
        #expect(try limits.decode(QueryParameters(parsing: "q=12345678")).q == "12345678")
        #expect(throws: APIError.self) { try limits.decode(QueryParameters(parsing: "q=123456789")) }
        // "é" is two bytes: five of them are ten bytes.
        #expect(throws: APIError.self) { try limits.decode(QueryParameters(parsing: "q=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9")) }
        expectBadParameter("q=" + String(repeating: "a", count: 8193), "q")
    }

    @Test func wildcardsPerQueryAreLimited() throws {
        let limits = SearchQueryDecoder(limits: SearchLimits(queryMaxWildcards: 2))
        #expect(try limits.decode(QueryParameters(parsing: "q=a*+b*+c")).q == "a* b* c")
        #expect(throws: APIError.self) { try limits.decode(QueryParameters(parsing: "q=a*+b*+c*")) }
        expectBadParameter("q=" + String(repeating: "s*+", count: 17), "q")  // the default allows 16
        #expect(try decode("q=" + String(repeating: "s*+", count: 16)).q.hasPrefix("s* "))
    }

    @Test func unknownParametersAreIgnored() throws {
        #expect(try decode("q=x&page=2&utm_source=mail&Q=y") == SearchRequest(q: "x"))
    }

    @Test func firstOccurrenceOfAScalarWins() throws {
        let request = try decode("q=first&q=second&limit=3&limit=4")
        #expect(request.q == "first")
        #expect(request.limit == 3)
    }
}
