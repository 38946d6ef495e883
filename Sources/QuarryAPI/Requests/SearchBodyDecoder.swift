#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /search`: a JSON object with the field names of `SearchRequest` → `SearchRequest`.
///
/// `{"q": "gaza", "limit": 20, "category": ["world", "politics"], "from": "2023-10-01", "sort": "-date",
///   "facets": ["category", "month"], "snippets": false, "collapse": true, "recency": 7}`
///
/// - `category` (or `categories`) is a string or an array of strings; `facets` an array or a comma list.
/// - Booleans are JSON booleans, numbers JSON numbers, dates strings. Unknown fields are ignored.
/// - Not JSON / not an object → 400 bad_json; a field of the wrong type → 400 bad_parameter naming it.
public struct SearchBodyDecoder: Sendable {
    public let validator: SearchRequestValidator

    public init(limits: SearchLimits) {
        self.validator = SearchRequestValidator(limits: limits)
    }

    public func decode(_ body: Data?, using decoder: JSONDecoder = JSONDecoder()) throws(APIError) -> SearchRequest {
        try validator.validate(parameters(from: body, using: decoder))
    }

    public func parameters(from body: Data?, using decoder: JSONDecoder = JSONDecoder()) throws(APIError) -> SearchParameters {
        guard let body, !body.isEmpty else {
            throw .badJSON("the request body is empty; expected a JSON object")
        }
        do {
            return try decoder.decode(SearchBody.self, from: body).parameters
        } catch let error as SearchBody.WrongType {
            throw .badParameter(error.field.rawValue, error.field.expectation)
        } catch DecodingError.typeMismatch {
            throw .badJSON("the request body must be a JSON object")
        } catch {
            throw .badJSON("the request body is not valid JSON")
        }
    }
}

/// The JSON shape, permissive where the API promises it (string-or-array), strict on types otherwise.
struct SearchBody: Decodable {
    enum Field: String, CodingKey {
        case q, limit, offset, category, categories, from, to, sort, facets, snippets, collapse, recency, mode, feedback

        var expectation: String {
            switch self {
            case .q, .sort, .mode: "must be a string"
            case .from, .to: "must be a date string, YYYY-MM-DD or YYYYMMDD"
            case .limit, .offset: "must be an integer"
            case .category, .categories, .facets: "must be a string or an array of strings"
            case .snippets, .collapse, .feedback: "must be true or false"
            case .recency: "must be a number of days"
            }
        }
    }

    /// A field that is present but cannot be read as its type (whatever the decoder's own error says).
    struct WrongType: Error {
        var field: Field
    }

    var parameters = SearchParameters()

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Field.self)
        func read<T>(_ field: Field, _ body: (Field) throws -> T) throws -> T {
            do { return try body(field) } catch { throw WrongType(field: field) }
        }
        parameters.q = try read(.q) { try fields.decodeIfPresent(String.self, forKey: $0) }
        parameters.limit = try read(.limit) { try fields.decodeIfPresent(Int.self, forKey: $0) }
        parameters.offset = try read(.offset) { try fields.decodeIfPresent(Int.self, forKey: $0) }
        parameters.categories = try read(.category) { try fields.stringOrArray(forKey: $0) }
            + read(.categories) { try fields.stringOrArray(forKey: $0) }
        parameters.from = try read(.from) { try fields.decodeIfPresent(String.self, forKey: $0) }
        parameters.to = try read(.to) { try fields.decodeIfPresent(String.self, forKey: $0) }
        parameters.sort = try read(.sort) { try fields.decodeIfPresent(String.self, forKey: $0) }
        parameters.facets = try read(.facets) { try fields.stringOrArray(forKey: $0) }
        parameters.snippets = try read(.snippets) { try fields.decodeIfPresent(Bool.self, forKey: $0) }
        parameters.collapse = try read(.collapse) { try fields.decodeIfPresent(Bool.self, forKey: $0) }
        parameters.recency = try read(.recency) { try fields.decodeIfPresent(Double.self, forKey: $0) }
        parameters.mode = try read(.mode) { try fields.decodeIfPresent(String.self, forKey: $0) }
        parameters.feedback = try read(.feedback) { try fields.decodeIfPresent(Bool.self, forKey: $0) }
    }
}

extension KeyedDecodingContainer {
    /// `"a"` → ["a"], `["a","b"]` → ["a","b"], absent or null → [].
    fileprivate func stringOrArray(forKey key: Key) throws -> [String] {
        guard contains(key), try !decodeNil(forKey: key) else { return [] }
        if let single = try? decode(String.self, forKey: key) {
            return [single]
        }
        return try decode([String].self, forKey: key)
    }
}
