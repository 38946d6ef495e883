import Foundation
import Testing
@testable import QuarryCore

@Suite("JSONValue")
struct JSONValueTests {
    @Test func parsesAllKinds() throws {
        let value = try JSONValue(parsing: #"""
            {"n": null, "t": true, "f": false, "i": -12, "d": 2.5e3, "s": "a\"b\\c\/\n\t\u00e9\ud83d\ude00",
             "a": [1, [], {}], "o": {"k": "v"}, "z": 0, "neg0": -0.0, "big": 12345678901234567890}
            """#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object["n"] == .null)
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["i"] == .number(-12))
        #expect(object["d"] == .number(2500))
        #expect(object["s"] == .string("a\"b\\c/\n\té😀"))
        #expect(object["a"] == .array([.number(1), .array([]), .object([:])]))
        #expect(object["o"] == .object(["k": .string("v")]))
        #expect(object["z"] == .number(0))
        #expect(object["big"] == .number(1.2345678901234567e19))
    }

    @Test(arguments: [
        "", "{", "}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]", "{a:1}", "'x'", "tru", "nul", "01",
        "1.", ".5", "1e", "-", "+1", "1e999", "-1e400", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "{} extra", "NaN",
        String(repeating: "[", count: 10_000),
    ])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func syntaxErrorsCarryTheOffset() {
        do {
            _ = try JSONValue(parsing: #"{"a": 1 "b": 2}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.offset == 8)
        }
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONValue(parsing: #""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(try JSONValue(parsing: #""\udc00""#) == .string("\u{FFFD}"))
        #expect(try JSONValue(parsing: #""\ud800\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func codableRoundTripIsFaithful() throws {
        let value: JSONValue = .object([
            "null": .null, "yes": .bool(true), "no": .bool(false), "one": .number(1), "pi": .number(3.25),
            "neg": .number(-7), "text": .string("“quoted” ünïcode 😀\n"), "list": .array([.number(0), .string(""), .null]),
            "nested": .object(["deep": .array([.object([:]), .bool(false)])]),
        ])
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        // Our parser reads what JSONEncoder writes, and vice versa.
        #expect(try JSONValue(parsing: String(decoding: data, as: UTF8.self)) == value)
        // Booleans stay booleans and numbers stay numbers.
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("[true, 1, 0, false]".utf8))
            == .array([.bool(true), .number(1), .number(0), .bool(false)]))
    }

    @Test func accessors() {
        #expect(JSONValue.string("x").stringValue == "x")
        #expect(JSONValue.number(2).doubleValue == 2)
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue.null.stringValue == nil)
    }
}
