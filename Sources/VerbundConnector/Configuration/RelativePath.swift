/// Paths in `connector.json` may be relative to the file's own folder, so a city's folder can be moved or
/// committed (the demo federation) without rewriting it.
package enum RelativePath {
    /// `path` resolved against `folder` unless it is absolute.
    package static func resolve(_ path: String, against folder: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/") else { return path }
        return normalize(folder + "/" + path)
    }

    /// The shortest relative path from `folder` to `path` (both absolute), e.g. `../admin/root.pem`.
    package static func from(_ folder: String, to path: String) -> String {
        let base = normalize(folder).split(separator: "/")
        let target = normalize(path).split(separator: "/")
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        let parts = ups + target[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Removes `.` and resolves `..` lexically (no symlinks).
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}
