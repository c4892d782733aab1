import Foundation

/// Writes an `RDFGraph` as JSON-LD 1.1 in expanded form (JSON-LD 1.1 §9): one node object per subject in `@graph`,
/// full IRIs as keys, `@id`/`@value`/`@type`/`@language`. It needs no remote context, so a harvester reads it
/// offline; the JSON encoder does the string escaping.
package enum JSONLDWriter {
    package static func value(_ graph: RDFGraph) -> JSONValue {
        var nodes: [JSONValue] = []
        for (subject, triples) in graph.subjects {
            guard let id = reference(subject) else { continue }
            var node: [String: JSONValue] = ["@id": .string(id)]
            var types: [JSONValue] = []
            var properties: [String: [JSONValue]] = [:]
            var order: [String] = []
            for triple in triples {
                if triple.predicate == RDFNamespace.rdf + "type", case .iri(let type) = triple.object {
                    types.append(.string(type))
                    continue
                }
                guard let object = object(triple.object) else { continue }
                if properties[triple.predicate] == nil { order.append(triple.predicate) }
                properties[triple.predicate, default: []].append(object)
            }
            if !types.isEmpty { node["@type"] = .array(types) }
            for predicate in order { node[predicate] = .array(properties[predicate] ?? []) }
            nodes.append(.object(node))
        }
        return .object(["@graph": .array(nodes)])
    }

    package static func write(_ graph: RDFGraph) throws -> String {
        String(decoding: try DSPJSON.encode(value(graph)), as: UTF8.self)
    }

    static func reference(_ term: RDFTerm) -> String? {
        switch term {
        case .iri(let value): return value
        case .blank(let label): return "_:" + RDFLabel.blank(label)
        case .literal: return nil
        }
    }

    static func object(_ term: RDFTerm) -> JSONValue? {
        switch term {
        case .iri, .blank: return reference(term).map { .object(["@id": .string($0)]) }
        case .literal(let value, let datatype, let language):
            var literal: [String: JSONValue] = ["@value": .string(value)]
            if let language, RDFLabel.isLanguageTag(language) {
                literal["@language"] = .string(language)
            } else if let datatype {
                literal["@type"] = .string(datatype)
            }
            return .object(literal)
        }
    }
}
