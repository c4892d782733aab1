/// A term of an RDF 1.1 graph (RDF 1.1 Concepts §3): an IRI, a blank node or a literal. Values are kept as given;
/// each writer escapes them for its syntax.
package enum RDFTerm: Sendable, Hashable {
    case iri(String)
    /// A blank node, by a label that is unique within its graph (letters, digits, `_`, `-`).
    case blank(String)
    /// A literal with an optional datatype IRI or language tag (never both; a language tag wins).
    case literal(String, datatype: String? = nil, language: String? = nil)

    package static func text(_ value: String, _ language: String? = nil) -> RDFTerm {
        .literal(value, datatype: nil, language: language)
    }

    package static func typed(_ value: String, _ datatype: String) -> RDFTerm {
        .literal(value, datatype: datatype, language: nil)
    }

    package var isLiteral: Bool { if case .literal = self { return true } else { return false } }
}

/// One statement of a graph. The subject is an IRI or blank node, the predicate an IRI.
package struct RDFTriple: Sendable, Hashable {
    package var subject: RDFTerm
    package var predicate: String
    package var object: RDFTerm

    package init(_ subject: RDFTerm, _ predicate: String, _ object: RDFTerm) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }
}

/// A small RDF graph: the triples in the order they were added (duplicates dropped), and the prefixes its writers
/// abbreviate with. Built by `DCATAPDEGraph`, written by `TurtleWriter`, `RDFXMLWriter` and `JSONLDWriter`.
package struct RDFGraph: Sendable, Hashable {
    package private(set) var triples: [RDFTriple] = []
    private var seen: Set<RDFTriple> = []
    /// Prefix → namespace IRI, in the order the writers declare them.
    package var prefixes: [(prefix: String, namespace: String)]

    package init(prefixes: [(prefix: String, namespace: String)] = RDFNamespace.standard) {
        self.prefixes = prefixes
    }

    /// Adds a triple. A literal subject cannot be written in any of the three syntaxes, so such a triple is not added.
    package mutating func add(_ subject: RDFTerm, _ predicate: String, _ object: RDFTerm) {
        if subject.isLiteral { return }
        let triple = RDFTriple(subject, predicate, object)
        if seen.insert(triple).inserted { triples.append(triple) }
    }

    /// Adds the triple only when `object` is present.
    package mutating func add(_ subject: RDFTerm, _ predicate: String, _ object: RDFTerm?) {
        if let object { add(subject, predicate, object) }
    }

    /// The subjects in order of first appearance, each with its triples in order.
    package var subjects: [(subject: RDFTerm, triples: [RDFTriple])] {
        var order: [RDFTerm] = []
        var grouped: [RDFTerm: [RDFTriple]] = [:]
        for triple in triples {
            if grouped[triple.subject] == nil { order.append(triple.subject) }
            grouped[triple.subject, default: []].append(triple)
        }
        return order.map { ($0, grouped[$0] ?? []) }
    }

    /// The name each writer gives each blank node: `b0`, `b1`, … in order of first appearance. Labels are only
    /// identities inside the graph, so two labels that differ only in characters a syntax cannot carry
    /// (`contact_a-b`, `contact_a_b`) stay two nodes.
    package var blankNames: [String: String] {
        var names: [String: String] = [:]
        for triple in triples {
            for case .blank(let label) in [triple.subject, triple.object] where names[label] == nil {
                names[label] = "b\(names.count)"
            }
        }
        return names
    }

    /// The objects of `subject`'s `predicate`.
    package func objects(_ subject: RDFTerm, _ predicate: String) -> [RDFTerm] {
        triples.filter { $0.subject == subject && $0.predicate == predicate }.map(\.object)
    }

    package static func == (lhs: RDFGraph, rhs: RDFGraph) -> Bool {
        lhs.triples == rhs.triples && lhs.prefixes.map(\.prefix) == rhs.prefixes.map(\.prefix)
            && lhs.prefixes.map(\.namespace) == rhs.prefixes.map(\.namespace)
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(triples) }
}

/// The namespaces of DCAT-AP.de and their usual prefixes.
package enum RDFNamespace {
    package static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    package static let xsd = "http://www.w3.org/2001/XMLSchema#"
    package static let dcat = "http://www.w3.org/ns/dcat#"
    package static let dct = "http://purl.org/dc/terms/"
    package static let dcatde = "http://dcat-ap.de/def/dcatde/"
    package static let foaf = "http://xmlns.com/foaf/0.1/"
    package static let vcard = "http://www.w3.org/2006/vcard/ns#"
    package static let spdx = "http://spdx.org/rdf/terms#"
    package static let hydra = "http://www.w3.org/ns/hydra/core#"
    package static let adms = "http://www.w3.org/ns/adms#"
    package static let geodcatap = "http://data.europa.eu/930/"

    package static let standard: [(prefix: String, namespace: String)] = [
        ("rdf", rdf), ("xsd", xsd), ("dcat", dcat), ("dct", dct), ("dcatde", dcatde), ("foaf", foaf),
        ("vcard", vcard), ("spdx", spdx), ("hydra", hydra), ("adms", adms),
    ]
}
