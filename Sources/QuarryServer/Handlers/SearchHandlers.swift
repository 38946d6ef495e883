import QuarryCore

/// `GET /search` and `POST /search`.
enum SearchHandlers {
    static func searchByQuery(_ context: ServerContext) -> WorkerHandler {
        { request, worker throws(APIError) in
            let search = try context.queryDecoder.decode(request.query)
            return try run(search, worker, context)
        }
    }

    static func searchByBody(_ context: ServerContext) -> WorkerHandler {
        { request, worker throws(APIError) in
            let search = try context.bodyDecoder.decode(request.body, using: worker.jsonDecoder)
            return try run(search, worker, context)
        }
    }

    private static func run(_ search: SearchRequest, _ worker: WorkerContext, _ context: ServerContext) throws(APIError) -> SearchResponse {
        let response = try engineCall { () throws(SearchFailure) in try worker.backend.search(search) }
        context.statistics.recordSearch()
        return response
    }
}
