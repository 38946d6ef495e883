#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import QuarryAPI

/// One worker thread's state: its engine handle (created on first use, retried after a failure) and its
/// JSON coders, reused across requests. Owned by exactly one thread; never shared.
final class WorkerSlot {
    private let makeBackend: BackendFactory
    private var backend: (any SearchBackend)?
    private let encoder: JSONEncoder
    private let decoder = JSONDecoder()

    init(makeBackend: @escaping BackendFactory) {
        self.makeBackend = makeBackend
        self.encoder = JSONEncoder()
        // Article ids contain slashes ("world/000_x.txt"); keep them readable.
        self.encoder.outputFormatting = [.withoutEscapingSlashes]
    }

    /// Runs `handler` with this thread's backend (opened when the handler first asks for it) and encodes its
    /// result (or error) into a response.
    func respond(
        to request: ServerRequest,
        with handler: (ServerRequest, WorkerContext) throws(APIError) -> any Encodable
    ) -> ServerResponse {
        do {
            let value = try handler(request, WorkerContext(openBackend: openBackend, jsonDecoder: decoder))
            if let direct = value as? any DirectJSON {
                var body = ByteBuffer()
                body.reserveCapacity(4096)
                direct.writeJSON(into: &body)
                return ServerResponse(status: .ok, contentType: ServerResponse.jsonContentType, body: body)
            }
            return .json(value, encoder: encoder)
        } catch {
            return .error(error)
        }
    }

    /// The backend, created on first use and again after a failure (an index that appears later is found).
    private func openBackend() throws(APIError) -> any SearchBackend {
        if let backend { return backend }
        do {
            let created = try makeBackend()
            backend = created
            return created
        } catch {
            throw .indexUnavailable(error)
        }
    }
}
