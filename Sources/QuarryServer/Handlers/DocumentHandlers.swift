import QuarryCore

/// `GET /documents/{id...}` and `GET /similar/{id...}?limit=N`.
enum DocumentHandlers {
    static func document(_ request: ServerRequest, _ worker: WorkerContext) throws(APIError) -> StoredArticle {
        let id = try documentID(request)
        return try engineCall { () throws(SearchFailure) in try worker.backend.document(id: id) }
    }

    static func similar(_ context: ServerContext) -> WorkerHandler {
        { request, worker throws(APIError) in
            let id = try documentID(request)
            let range = context.limits.limitRange
            var limit = context.limits.defaultLimit
            if let text = request.query.first("limit") {
                limit = try ParameterParsing.integer(text, name: "limit", range: range)
                guard range.contains(limit) else { throw ParameterParsing.outOfRange("limit", range) }
            }
            return try engineCall { () throws(SearchFailure) in try worker.backend.similar(id: id, limit: limit) }
        }
    }

    private static func documentID(_ request: ServerRequest) throws(APIError) -> String {
        guard let id = request.pathParameters["id"], !id.isEmpty else {
            throw .badParameter("id", "is required")
        }
        return id
    }
}
