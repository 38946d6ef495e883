import Foundation
@testable import QuarryAPI
import Testing

@Suite("POST /search bodies")
struct SearchBodyDecodingTests {
    let decoder = SearchBodyDecoder(limits: SearchLimits())

    func decode(_ json: String) throws(APIError) -> SearchRequest {
        try decoder.decode(Data(json.utf8))
    }

    func expectError(_ json: String, code: String, parameter: String? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let request = try decode(json)
            Issue.record("expected \(code) for \(json), got \(request)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.status == 400, sourceLocation: sourceLocation)
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
            if let parameter {
                #expect(error.message.hasPrefix("\(parameter):"), "\(error.message)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func fullBody() throws {
        let request = try decode("""
            {"q": "gaza", "limit": 20, "offset": 40, "category": ["world", "politics"], "from": "2023-10-01",
             "to": "20231031", "sort": "date", "facets": ["category", "month"], "snippets": false,
             "collapse": true, "recency": 7}
            """)
        #expect(request == SearchRequest(
            q: "gaza", limit: 20, offset: 40, categories: ["world", "politics"],
            from: ArticleDate(yyyymmdd: "20231001"), to: ArticleDate(yyyymmdd: "20231031"), sort: .date,
            facets: [.category, .month], snippets: false, collapse: true, recency: 7))
    }

    @Test func minimalBodyGivesTheDefaults() throws {
        #expect(try decode(#"{"q":"gaza"}"#) == SearchRequest(q: "gaza"))
    }

    @Test func categoryAsStringArrayOrSynonym() throws {
        #expect(try decode(#"{"q":"x","category":"world"}"#).categories == ["world"])
        #expect(try decode(#"{"q":"x","categories":["world","sport"]}"#).categories == ["world", "sport"])
        #expect(try decode(#"{"q":"x","category":"world","categories":["sport"]}"#).categories == ["world", "sport"])
    }

    @Test func facetsAsCommaList() throws {
        #expect(try decode(#"{"q":"x","facets":"month,category"}"#).facets == [.month, .category])
    }

    @Test func nullsAndUnknownFieldsAreIgnored() throws {
        #expect(try decode(#"{"q":"x","limit":null,"category":null,"page":3,"extra":{"a":1}}"#) == SearchRequest(q: "x"))
    }

    @Test(arguments: ["{", "not json", #"{"q": 'x'}"#, #"{"q" "x"}"#, "\u{FF}"])
    func malformedJSON(body: String) {
        expectError(body, code: "bad_json")
    }

    @Test func emptyOrNonObjectBodies() {
        expectError("", code: "bad_json")
        expectError("[]", code: "bad_json")
        expectError(#""q""#, code: "bad_json")
        expectError("42", code: "bad_json")
    }

    @Test(arguments: [
        (#"{"q": 5}"#, "q"),
        (#"{"q": "x", "limit": "ten"}"#, "limit"),
        (#"{"q": "x", "limit": 1.5}"#, "limit"),
        (#"{"q": "x", "offset": true}"#, "offset"),
        (#"{"q": "x", "category": 5}"#, "category"),
        (#"{"q": "x", "categories": [1, 2]}"#, "categories"),
        (#"{"q": "x", "from": 20231001}"#, "from"),
        (#"{"q": "x", "sort": ["date"]}"#, "sort"),
        (#"{"q": "x", "facets": {"a": 1}}"#, "facets"),
        (#"{"q": "x", "snippets": "yes"}"#, "snippets"),
        (#"{"q": "x", "collapse": 1}"#, "collapse"),
        (#"{"q": "x", "recency": "7"}"#, "recency"),
        (#"{"q": "x", "mode": true}"#, "mode"),
        (#"{"q": "x", "feedback": "yes"}"#, "feedback"),
    ])
    func wrongTypesNameTheField(body: String, field: String) {
        expectError(body, code: "bad_parameter", parameter: field)
    }

    @Test func validationAppliesToBodiesToo() {
        expectError(#"{"limit": 5}"#, code: "bad_parameter", parameter: "q")
        expectError(#"{"q": "x", "limit": 5000}"#, code: "bad_parameter", parameter: "limit")
        expectError(#"{"q": "x", "sort": "newest"}"#, code: "bad_parameter", parameter: "sort")
        expectError(#"{"q": "x", "mode": "prose"}"#, code: "bad_parameter", parameter: "mode")
        expectError(#"{"q": "x", "from": "2023-02-30x"}"#, code: "bad_parameter", parameter: "from")
        expectError(#"{"q": "x", "from": "2023-10-02", "to": "2023-10-01"}"#, code: "bad_parameter", parameter: "from")
        expectError(#"{"q": "x", "recency": 0}"#, code: "bad_parameter", parameter: "recency")
        expectError(#"{"q": " "}"#, code: "bad_parameter", parameter: "q")
    }

    @Test func blankQWithAFilterMatchesEverything() throws {
        #expect(try decode(#"{"q": "", "category": "world"}"#).q == "")
    }
}
