/// A route's path: literal segments and captures.
/// - `{name}` captures exactly one segment;
/// - `{name...}` (last only) captures the rest of the path, slashes included (`/documents/world/000_x.txt`).
/// Captured values are percent-decoded; a capture that does not decode makes the pattern not match.
struct PathPattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case remainder(String)
    }

    let segments: [Segment]
    let description: String

    init(_ pattern: String) {
        var segments: [Segment] = []
        for part in pattern.split(separator: "/") {
            if part.hasPrefix("{") && part.hasSuffix("...}") {
                segments.append(.remainder(String(part.dropFirst().dropLast(4))))
            } else if part.hasPrefix("{") && part.hasSuffix("}") {
                segments.append(.parameter(String(part.dropFirst().dropLast())))
            } else {
                segments.append(.literal(String(part)))
            }
        }
        precondition(
            !segments.dropLast().contains { if case .remainder = $0 { true } else { false } },
            "a {name...} capture must be the last segment of \(pattern)"
        )
        self.segments = segments
        self.description = pattern
    }

    /// The captures if `path` (split on "/", empty segments ignored) matches, else nil.
    func match(_ path: [Substring]) -> [String: String]? {
        var captures: [String: String] = [:]
        for (position, segment) in segments.enumerated() {
            switch segment {
            case .literal(let literal):
                guard position < path.count, path[position] == literal else { return nil }
            case .parameter(let name):
                guard position < path.count,
                      let value = PercentDecoding.decode(path[position], plusAsSpace: false) else { return nil }
                captures[name] = value
            case .remainder(let name):
                guard position < path.count else { return nil }
                let rest = path[position...].joined(separator: "/")
                guard let value = PercentDecoding.decode(rest[...], plusAsSpace: false) else { return nil }
                captures[name] = value
                return captures
            }
        }
        return path.count == segments.count ? captures : nil
    }
}
