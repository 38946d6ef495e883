#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import QuarryAPI

/// `GET /search` and `POST /search`.
enum SearchHandlers {
    static func searchByQuery(_ context: ServerContext) -> WorkerHandler {
        { request, worker throws(APIError) in
            let response = try context.responder.search(query: request.query, on: worker.openBackend)
            context.statistics.recordSearch()
            return response
        }
    }

    static func searchByBody(_ context: ServerContext) -> WorkerHandler {
        { request, worker throws(APIError) in
            let body = request.body.map { Data($0.readableBytesView) }
            let response = try context.responder.search(body: body, decoder: worker.jsonDecoder, on: worker.openBackend)
            context.statistics.recordSearch()
            return response
        }
    }
}
