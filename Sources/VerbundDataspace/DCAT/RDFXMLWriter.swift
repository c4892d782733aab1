/// Writes an `RDFGraph` as RDF/XML (W3C RDF 1.1 XML Syntax): one `rdf:Description` per subject, IRIs as
/// `rdf:about`/`rdf:resource`, blank nodes as `rdf:nodeID` (`b0`, `b1`, … from `RDFGraph.blankNames`), literals as
/// element text with `xml:lang` or `rdf:datatype`. IRIs are percent-encoded like the other writers (`RDFLabel.iri`).
/// Text and attribute values escape `& < > "` and line breaks and tabs as character references (XML 1.0 §2.11 and
/// §3.3.3 would otherwise normalise them); characters XML 1.0 cannot carry at all (§2.2: the other C0 controls,
/// U+FFFE, U+FFFF) become U+FFFD, the one place where the three writers differ.
package enum RDFXMLWriter {
    /// A predicate RDF/XML cannot write: its IRI does not end in an XML name (§2.5 of the syntax: a property element
    /// is a QName), e.g. `http://example.org/p/` or `http://example.org/123`.
    package struct UnwritablePredicate: Error, Hashable, CustomStringConvertible {
        package var predicate: String
        package var description: String {
            "RDF/XML cannot write the predicate \(predicate): its IRI does not end in an XML name; "
                + "export as Turtle or JSON-LD instead"
        }
    }

    package static func write(_ graph: RDFGraph) throws -> String {
        var prefixes = graph.prefixes
        if !prefixes.contains(where: { $0.prefix == "rdf" }) { prefixes.insert(("rdf", RDFNamespace.rdf), at: 0) }
        // Predicates outside the declared namespaces get `ns1`, `ns2`, … (split before the longest XML-name tail).
        for triple in graph.triples where qualifiedName(triple.predicate, prefixes) == nil {
            guard let (namespace, _) = split(RDFLabel.iri(triple.predicate)) else {
                throw UnwritablePredicate(predicate: triple.predicate)
            }
            var number = prefixes.count
            while prefixes.contains(where: { $0.prefix == "ns\(number)" }) { number += 1 }
            prefixes.append(("ns\(number)", namespace))
        }
        let blanks = graph.blankNames
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF"
        for (prefix, namespace) in prefixes {
            out += "\n    xmlns:\(prefix)=\"\(escape(RDFLabel.iri(namespace)))\""
        }
        out += ">\n"
        for (subject, triples) in graph.subjects {
            switch subject {
            case .blank(let label): out += "  <rdf:Description rdf:nodeID=\"\(blanks[label] ?? "b")\">\n"
            case .iri(let value): out += "  <rdf:Description rdf:about=\"\(escape(RDFLabel.iri(value)))\">\n"
            case .literal: continue
            }
            for triple in triples {
                guard let name = qualifiedName(triple.predicate, prefixes) else {
                    throw UnwritablePredicate(predicate: triple.predicate)
                }
                switch triple.object {
                case .iri(let value): out += "    <\(name) rdf:resource=\"\(escape(RDFLabel.iri(value)))\"/>\n"
                case .blank(let label): out += "    <\(name) rdf:nodeID=\"\(blanks[label] ?? "b")\"/>\n"
                case .literal(let value, let datatype, let language):
                    var attributes = ""
                    if let language, RDFLabel.isLanguageTag(language) {
                        attributes = " xml:lang=\"\(language)\""
                    } else if let datatype {
                        attributes = " rdf:datatype=\"\(escape(RDFLabel.iri(datatype)))\""
                    }
                    out += "    <\(name)\(attributes)>\(escape(value))</\(name)>\n"
                }
            }
            out += "  </rdf:Description>\n"
        }
        return out + "</rdf:RDF>\n"
    }

    static func qualifiedName(_ raw: String, _ prefixes: [(prefix: String, namespace: String)]) -> String? {
        let iri = RDFLabel.iri(raw)
        for (prefix, namespace) in prefixes where iri.hasPrefix(RDFLabel.iri(namespace)) {
            let local = iri.dropFirst(RDFLabel.iri(namespace).count)
            if isXMLName(local) { return prefix + ":" + local }
        }
        return nil
    }

    /// Namespace and local name: the longest tail that is an XML name, with a non-empty namespace before it.
    static func split(_ iri: String) -> (String, Substring)? {
        var start = iri.endIndex
        var best: String.Index?
        while start > iri.startIndex {
            start = iri.index(before: start)
            guard isNameCharacter(iri[start]) else { break }
            if isNameStart(iri[start]) { best = start }
        }
        guard let best, best > iri.startIndex else { return nil }
        return (String(iri[..<best]), iri[best...])
    }

    /// An XML name in ASCII (XML 1.0 §2.3, without `:`): a letter or `_`, then letters, digits, `_`, `-` or `.`.
    static func isXMLName(_ text: Substring) -> Bool {
        guard let first = text.first, isNameStart(first) else { return false }
        return text.allSatisfy(isNameCharacter)
    }

    static func isNameStart(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character == "_")
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
