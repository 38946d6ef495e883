/// `GET /search?q=...`: query-string parameters → `SearchRequest`.
///
/// - `category` may repeat and/or be comma-separated (`category=world&category=sport`, `category=world,sport`);
///   `categories` is accepted as a synonym. `facets` likewise (`facets=category,month`).
/// - Scalars repeated: the first occurrence wins. Unknown parameters are ignored (forward compatibility).
public struct SearchQueryDecoder: Sendable {
    public let validator: SearchRequestValidator

    public init(limits: SearchLimits) {
        self.validator = SearchRequestValidator(limits: limits)
    }

    public func decode(_ query: QueryParameters) throws(APIError) -> SearchRequest {
        try validator.validate(parameters(from: query))
    }

    public func parameters(from query: QueryParameters) throws(APIError) -> SearchParameters {
        let limits = validator.limits
        var parameters = SearchParameters()
        parameters.q = query.first("q")
        if let text = query.first("limit") {
            parameters.limit = try ParameterParsing.integer(text, name: "limit", range: limits.limitRange)
        }
        if let text = query.first("offset") {
            parameters.offset = try ParameterParsing.integer(text, name: "offset", range: limits.offsetRange)
        }
        parameters.categories = query.all("category") + query.all("categories")
        parameters.from = query.first("from")
        parameters.to = query.first("to")
        parameters.sort = query.first("sort")
        parameters.mode = query.first("mode")
        if let text = query.first("feedback") {
            parameters.feedback = try ParameterParsing.bool(text, name: "feedback")
        }
        parameters.facets = query.all("facets")
        if let text = query.first("snippets") {
            parameters.snippets = try ParameterParsing.bool(text, name: "snippets")
        }
        if let text = query.first("collapse") {
            parameters.collapse = try ParameterParsing.bool(text, name: "collapse")
        }
        if let text = query.first("recency") {
            parameters.recency = try ParameterParsing.number(text, name: "recency")
        }
        return parameters
    }
}
