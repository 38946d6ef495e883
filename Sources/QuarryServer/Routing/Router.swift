import NIOHTTP1

/// A table of routes, tried in order. A path that matches some route but not with this method is a 405
/// (with the methods that would work), a path that matches none is a 404.
struct Router: Sendable {
    enum Resolution {
        case matched(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    let routes: [Route]

    init(_ routes: [Route]) {
        self.routes = routes
    }

    func resolve(method: HTTPMethod, path: Substring) -> Resolution {
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameters = route.pattern.match(path) else { continue }
            if route.method == method {
                return .matched(route, parameters: parameters)
            }
            if !allowed.contains(route.method) {
                allowed.append(route.method)
            }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}
