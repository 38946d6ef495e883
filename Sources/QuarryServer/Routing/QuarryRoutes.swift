import QuarryAPI

/// The daemon's routing table: each of the API's routes (`APIRoute`, which documents them) and where it runs.
/// Handlers are small functions in `Handlers/`.
enum QuarryRoutes {
    static func router(_ context: ServerContext) -> Router {
        Router(APIRoute.allCases.map { route in
            Route(route, action(for: route, context))
        })
    }

    private static func action(for route: APIRoute, _ context: ServerContext) -> RouteAction {
        switch route {
        case .searchByQuery: .onWorker(SearchHandlers.searchByQuery(context))
        case .searchByBody: .onWorker(SearchHandlers.searchByBody(context))
        case .document: .onWorker(DocumentHandlers.document(context))
        case .similar: .onWorker(DocumentHandlers.similar(context))
        case .stats: .onWorker(StatusHandlers.stats(context))
        case .health: .onWorker(StatusHandlers.health(context))
        case .metrics: .onEventLoop(MetricsHandler.metrics(context))
        }
    }
}
