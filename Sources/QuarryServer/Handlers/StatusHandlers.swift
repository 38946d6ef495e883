import QuarryAPI

/// `GET /stats` and `GET /health`.
enum StatusHandlers {
    static func stats(_ context: ServerContext) -> WorkerHandler {
        { _, worker throws(APIError) in
            let figures = StatsResponse.ServerFigures(uptimeSeconds: context.statistics.uptimeSeconds,
                                                      queriesServed: context.statistics.queriesServed)
            return try context.responder.stats(on: worker.openBackend, server: figures)
        }
    }

    static func health(_ context: ServerContext) -> WorkerHandler {
        { _, worker throws(APIError) in try context.responder.health(on: worker.openBackend) }
    }
}
