import Foundation

/// The targets of a `Link` header (RFC 8288 §3) by relation type, e.g. `<https://…?after=50>; rel="next"`.
enum LinkHeader {
    /// The URL of the first link whose `rel` contains `relation`.
    static func target(_ header: String?, relation: String) -> String? {
        guard let header else { return nil }
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let url = String(rest[rest.index(after: open)..<close])
            let afterURL = rest[rest.index(after: close)...]
            let end = afterURL.firstIndex(of: "<") ?? afterURL.endIndex
            let parameters = afterURL[..<end]
            rest = afterURL[end...]
            for parameter in parameters.split(separator: ";") {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "rel" else { continue }
                let value = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\","))
                // RFC 8288 §3.3: rel may hold several space-separated relation types.
                if value.split(separator: " ").contains(where: { $0.lowercased() == relation }) { return url }
            }
        }
        return nil
    }
}
