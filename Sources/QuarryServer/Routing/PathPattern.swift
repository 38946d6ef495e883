import QuarryAPI

/// A route's path: literal segments and captures.
/// - `{name}` captures exactly one segment;
/// - `{name...}` (last only) captures the rest of the path as sent, slashes included (`/documents/world/000_x.txt`).
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

    /// The captures if `path` matches, else nil. Literal and single-segment captures ignore empty segments
    /// (`//stats/` is `/stats`); a `{name...}` capture takes the rest of the path exactly as sent, after the one
    /// slash that ends the previous segment, so ids such as `/etc/passwd` (`/documents//etc/passwd`) or `a//b`
    /// reach the handler unchanged.
    func match(_ path: Substring) -> [String: String]? {
        var captures: [String: String] = [:]
        var rest = path
        for segment in segments {
            if case .remainder(let name) = segment {
                if rest.first == "/" { rest = rest.dropFirst() }
                guard !rest.isEmpty, let value = PercentDecoding.decode(rest, plusAsSpace: false) else { return nil }
                captures[name] = value
                return captures
            }
            rest = rest.drop { $0 == "/" }
            let part = rest.prefix { $0 != "/" }
            guard !part.isEmpty else { return nil }
            rest = rest[part.endIndex...]
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .parameter(let name):
                guard let value = PercentDecoding.decode(part, plusAsSpace: false) else { return nil }
                captures[name] = value
            case .remainder:
                return nil  // handled above
            }
        }
        return rest.allSatisfy { $0 == "/" } ? captures : nil
    }
}
