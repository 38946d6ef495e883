import QuarryAPI

/// `GET /documents/{id...}` and `GET /similar/{id...}?limit=N`.
enum DocumentHandlers {
    static func document(_ context: ServerContext) -> WorkerHandler {
        { request, worker throws(APIError) in
            try context.responder.document(id: request.pathParameters["id"] ?? "", on: worker.openBackend)
        }
    }

    static func similar(_ context: ServerContext) -> WorkerHandler {
        { request, worker throws(APIError) in
            try context.responder.similar(id: request.pathParameters["id"] ?? "", query: request.query,
                                          on: worker.openBackend)
        }
    }
}
