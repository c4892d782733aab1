/// The syntaxes of a DCAT-AP.de export, and which one a request's `Accept` field asks for.
package enum DCATFormat: String, Sendable, CaseIterable {
    case turtle
    case rdfxml
    case jsonld

    /// The media type a harvester's RDF parser knows (rdflib maps each to its parser).
    package var mediaType: String {
        switch self {
        case .turtle: return "text/turtle"
        case .rdfxml: return "application/rdf+xml"
        case .jsonld: return "application/ld+json"
        }
    }

    package var fileExtension: String {
        switch self {
        case .turtle: return "ttl"
        case .rdfxml: return "rdf"
        case .jsonld: return "jsonld"
        }
    }

    /// The format for an `Accept` field (RFC 9110 §12.5.1): the supported type with the highest weight, Turtle for
    /// no field, `*/*`, `text/*` or an empty field (harvesters often send none); nil when the field names only types
    /// we do not write, or weighs ours 0 (answer 406).
    package static func negotiate(accept: String?) -> DCATFormat? {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return .turtle }
        var best: (format: DCATFormat, weight: Double, specific: Bool)?
        for element in accept.split(separator: ",").prefix(64) {
            let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let range = parts.first, !range.isEmpty else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)).flatMap { (0...1).contains($0) ? $0 : nil } ?? 0
            }
            let candidates: [(DCATFormat, Bool)]
            switch range {
            case "*/*", "text/*": candidates = [(.turtle, false)]
            case "application/*": candidates = [(.rdfxml, false)]
            default: candidates = DCATFormat.allCases.filter { $0.mediaType == range }.map { ($0, true) }
            }
            for (format, specific) in candidates where weight > 0 {
                if best == nil || weight > best!.weight || (weight == best!.weight && specific && !best!.specific) {
                    best = (format, weight, specific)
                }
            }
        }
        return best?.format
    }

    /// The format named on a command line or in a query: `turtle`/`ttl`, `rdfxml`/`rdf`/`xml`, `jsonld`/`json-ld`.
    package init?(name: String) {
        switch name.lowercased() {
        case "turtle", "ttl": self = .turtle
        case "rdfxml", "rdf", "xml", "rdf/xml": self = .rdfxml
        case "jsonld", "json-ld": self = .jsonld
        default: return nil
        }
    }
}

extension DCATAPDEProfile {
    /// The profile named on a command line or in a query: `dcat-ap-de-3`, `3.0`, `3`, or the same for 2.0.
    package init?(name: String) {
        switch name.lowercased() {
        case "dcat-ap-de-3", "dcat-ap.de-3.0", "3.0", "3": self = .v3
        case "dcat-ap-de-2", "dcat-ap.de-2.0", "2.0", "2": self = .v2
        default: return nil
        }
    }
}

/// A city's catalog as a DCAT-AP.de document in one syntax: the graph `DCATAPDEGraph` builds, written by the
/// format's writer.
package enum DCATExport {
    package static func render(_ records: [DatasetRecord], catalog: DCATCatalogDescription, profile: DCATAPDEProfile,
                               format: DCATFormat, page: DCATPage? = nil) throws -> String {
        let graph = DCATAPDEGraph(catalog: catalog, profile: profile).graph(records, page: page)
        switch format {
        case .turtle: return TurtleWriter.write(graph)
        case .rdfxml: return try RDFXMLWriter.write(graph)
        case .jsonld: return try JSONLDWriter.write(graph)
        }
    }
}
