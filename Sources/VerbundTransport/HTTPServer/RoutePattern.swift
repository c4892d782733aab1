/// A path pattern such as `/negotiations/:pid/events` or `/files/*`.
///
/// `:name` matches one segment and binds it; a final `*` matches the rest of the path (possibly empty)
/// and binds it under `*`. Segments compare after percent-decoding, so parameters arrive decoded.
package struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
        case rest
    }

    let segments: [Segment]
    package let description: String

    package init(_ pattern: String) {
        description = pattern
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        segments = parts.enumerated().map { index, part in
            if part == "*" && index == parts.count - 1 { return .rest }
            if part.hasPrefix(":") && part.count > 1 { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
    }

    /// The bound parameters when `path` matches.
    func match(_ path: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        var index = 0
        for segment in segments {
            switch segment {
            case .rest:
                parameters["*"] = path[index...].joined(separator: "/")
                return parameters
            case let .literal(text):
                guard index < path.count, path[index] == text else { return nil }
            case let .parameter(name):
                guard index < path.count else { return nil }
                parameters[name] = path[index]
            }
            index += 1
        }
        return index == path.count ? parameters : nil
    }
}
