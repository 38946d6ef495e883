import QuarryAPI
import Testing

@Suite("Query strings")
struct QueryParametersTests {
    @Test func decodesPairsInOrderWithRepeats() throws {
        let query = try QueryParameters(parsing: "q=gaza+strip&category=world&category=sport&flag&&empty=")
        #expect(query.first("q") == "gaza strip")
        #expect(query.all("category") == ["world", "sport"])
        #expect(query.first("flag") == "")
        #expect(query.first("empty") == "")
        #expect(query.first("missing") == nil)
    }

    @Test func percentEscapesAndPlusAreDecoded() throws {
        let query = try QueryParameters(parsing: "q=caf%C3%A9%2Bcr%C3%A8me&a%20b=1")
        #expect(query.first("q") == "café+crème")
        #expect(query.first("a b") == "1")
    }

    @Test(arguments: ["q=%", "q=%4", "q=%zz", "q=%FF", "%C3=x"])
    func invalidPercentEncodingIsA400(query: String) {
        #expect(throws: APIError.self) { try QueryParameters(parsing: query[...]) }
        do {
            _ = try QueryParameters(parsing: query[...])
        } catch {
            #expect(error.status == 400)
            #expect(error.code == "bad_parameter")
        }
    }
}
