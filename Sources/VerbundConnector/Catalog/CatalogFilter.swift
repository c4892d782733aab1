import VerbundDataspace

/// The `filter` of a `CatalogRequestMessage` that Verbund understands (DSP 2025-1 leaves its form to the provider).
/// Each element is an object with one member; all elements must hold:
///
/// - `{"keyword": "Verkehr"}` — datasets with this keyword (case-insensitive, whole keyword);
/// - `{"search": "parken innenstadt"}` — full text over title, description and keywords: every word must occur
///   (also as the beginning of a word).
///
/// Anything else is refused with 400 and a `CatalogError` naming the element (DSP: an unsupported filter is an error).
package struct CatalogFilter: Sendable, Hashable {
    package var keywords: [String] = []
    package var search: [String] = []

    package init(keywords: [String] = [], search: [String] = []) {
        self.keywords = keywords
        self.search = search
    }

    package var isEmpty: Bool { keywords.isEmpty && search.isEmpty }

    /// Parses the message's filter elements.
    package init(_ elements: [JSONValue]) throws(CatalogFilterError) {
        for (index, element) in elements.enumerated() {
            guard let object = element.objectValue, object.count == 1, let (name, value) = object.first else {
                throw CatalogFilterError(index: index, reason: "expected an object with exactly one of \"keyword\" or \"search\"")
            }
            guard let text = value.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CatalogFilterError(index: index, reason: "\"\(name)\" needs a non-empty string")
            }
            switch name {
            case "keyword":
                keywords.append(text.trimmingCharacters(in: .whitespaces).lowercased())
            case "search":
                guard FullTextQuery.match(text) != nil else {
                    throw CatalogFilterError(index: index, reason: "\"search\" has no letters or digits")
                }
                search.append(text)
            default:
                throw CatalogFilterError(index: index, reason: "\"\(name)\" is not a filter Verbund understands; use \"keyword\" or \"search\"")
            }
        }
    }

    /// The filter as DSP filter elements (what a consumer sends).
    package var elements: [JSONValue] {
        keywords.map { .object(["keyword": .string($0)]) } + search.map { .object(["search": .string($0)]) }
    }

    /// The FTS5 query of all `search` elements together, nil when there are none.
    var fullTextQuery: String? {
        let parts = search.compactMap(FullTextQuery.match)
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}

/// A filter element Verbund does not understand.
package struct CatalogFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    package let index: Int
    package let reason: String

    package var description: String { "filter[\(index)]: \(reason)" }
}
