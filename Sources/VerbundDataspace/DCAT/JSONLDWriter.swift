import Foundation

/// Writes an `RDFGraph` as JSON-LD 1.1 in expanded form (JSON-LD 1.1 §9): one node object per subject in `@graph`,
/// full IRIs as keys, `@id`/`@value`/`@type`/`@language`. It needs no context at all (expanded form is its own
/// context), so a harvester reads it offline; IRIs are percent-encoded like the other writers (`RDFLabel.iri`),
/// blank nodes are `_:b0`, `_:b1`, … (`RDFGraph.blankNames`), and the JSON encoder does the string escaping.
package enum JSONLDWriter {
    /// A predicate or datatype that is not an absolute IRI: expanded JSON-LD would read it as a keyword (`@type`) or
    /// drop it as a relative IRI (JSON-LD 1.1 API §5.1.2), so the writer refuses it rather than lose or bend a triple.
    package struct UnwritableIRI: Error, Hashable, CustomStringConvertible {
        package var iri: String
        package var description: String {
            "JSON-LD cannot write \(iri) as a property or datatype: it is not an absolute IRI"
        }
    }

    package static func value(_ graph: RDFGraph) throws -> JSONValue {
        for triple in graph.triples {
            guard DCATIRI.isAbsolute(triple.predicate) else { throw UnwritableIRI(iri: triple.predicate) }
            if case .literal(_, let datatype?, _) = triple.object, !DCATIRI.isAbsolute(datatype) {
                throw UnwritableIRI(iri: datatype)
            }
        }
        let blanks = graph.blankNames
        var nodes: [JSONValue] = []
        for (subject, triples) in graph.subjects {
            guard let id = reference(subject, blanks) else { continue }
            var node: [String: JSONValue] = ["@id": .string(id)]
            var types: [JSONValue] = []
            var properties: [String: [JSONValue]] = [:]
            var order: [String] = []
            for triple in triples {
                if triple.predicate == RDFNamespace.rdf + "type", case .iri(let type) = triple.object {
                    types.append(.string(RDFLabel.iri(type)))
                    continue
                }
                guard let object = object(triple.object, blanks) else { continue }
                let predicate = RDFLabel.iri(triple.predicate)
                if properties[predicate] == nil { order.append(predicate) }
                properties[predicate, default: []].append(object)
            }
            if !types.isEmpty { node["@type"] = .array(types) }
            for predicate in order { node[predicate] = .array(properties[predicate] ?? []) }
            nodes.append(.object(node))
        }
        return .object(["@graph": .array(nodes)])
    }

    package static func write(_ graph: RDFGraph) throws -> String {
        String(decoding: try DSPJSON.encode(try value(graph)), as: UTF8.self)
    }

    static func reference(_ term: RDFTerm, _ blanks: [String: String]) -> String? {
        switch term {
        case .iri(let value): return RDFLabel.iri(value)
        case .blank(let label): return "_:" + (blanks[label] ?? "b")
        case .literal: return nil
        }
    }

    static func object(_ term: RDFTerm, _ blanks: [String: String]) -> JSONValue? {
        switch term {
        case .iri, .blank: return reference(term, blanks).map { .object(["@id": .string($0)]) }
        case .literal(let value, let datatype, let language):
            var literal: [String: JSONValue] = ["@value": .string(value)]
            if let language, RDFLabel.isLanguageTag(language) {
                literal["@language"] = .string(language)
            } else if let datatype {
                literal["@type"] = .string(RDFLabel.iri(datatype))
            }
            return .object(literal)
        }
    }
}
