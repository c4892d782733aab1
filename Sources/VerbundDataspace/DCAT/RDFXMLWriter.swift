/// Writes an `RDFGraph` as RDF/XML (W3C RDF 1.1 XML Syntax): one `rdf:Description` per subject, IRIs as
/// `rdf:about`/`rdf:resource`, blank nodes as `rdf:nodeID`, literals as element text with `xml:lang` or
/// `rdf:datatype`. Text and attribute values escape `& < > "` and carriage returns (XML 1.0 §2.11 would turn them
/// into line feeds); characters XML 1.0 cannot carry at all (§2.2: other C0 controls, U+FFFE/U+FFFF) become U+FFFD.
package enum RDFXMLWriter {
    package static func write(_ graph: RDFGraph) -> String {
        var prefixes = graph.prefixes
        // Predicates outside the declared namespaces get `ns1`, `ns2`, … (split after the last `#` or `/`).
        for triple in graph.triples where qualifiedName(triple.predicate, prefixes) == nil {
            if let (namespace, _) = split(triple.predicate), !prefixes.contains(where: { $0.namespace == namespace }) {
                prefixes.append(("ns\(prefixes.count)", namespace))
            }
        }
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF"
        if !prefixes.contains(where: { $0.prefix == "rdf" }) { prefixes.insert(("rdf", RDFNamespace.rdf), at: 0) }
        for (prefix, namespace) in prefixes {
            out += "\n    xmlns:\(prefix)=\"\(escape(namespace))\""
        }
        out += ">\n"
        for (subject, triples) in graph.subjects {
            switch subject {
            case .blank(let label): out += "  <rdf:Description rdf:nodeID=\"\(RDFLabel.blank(label))\">\n"
            case .iri(let value): out += "  <rdf:Description rdf:about=\"\(escape(value))\">\n"
            case .literal: continue
            }
            for triple in triples {
                guard let name = qualifiedName(triple.predicate, prefixes) else { continue }
                switch triple.object {
                case .iri(let value): out += "    <\(name) rdf:resource=\"\(escape(value))\"/>\n"
                case .blank(let label): out += "    <\(name) rdf:nodeID=\"\(RDFLabel.blank(label))\"/>\n"
                case .literal(let value, let datatype, let language):
                    var attributes = ""
                    if let language, RDFLabel.isLanguageTag(language) {
                        attributes = " xml:lang=\"\(language)\""
                    } else if let datatype {
                        attributes = " rdf:datatype=\"\(escape(datatype))\""
                    }
                    out += "    <\(name)\(attributes)>\(escape(value))</\(name)>\n"
                }
            }
            out += "  </rdf:Description>\n"
        }
        return out + "</rdf:RDF>\n"
    }

    static func qualifiedName(_ iri: String, _ prefixes: [(prefix: String, namespace: String)]) -> String? {
        for (prefix, namespace) in prefixes where iri.hasPrefix(namespace) {
            let local = iri.dropFirst(namespace.count)
            if RDFLabel.isPlainLocalName(local), local.first?.isNumber == false { return prefix + ":" + local }
        }
        return nil
    }

    static func split(_ iri: String) -> (String, Substring)? {
        guard let cut = iri.lastIndex(where: { $0 == "#" || $0 == "/" }) else { return nil }
        let namespace = String(iri[...cut])
        let local = iri[iri.index(after: cut)...]
        return RDFLabel.isPlainLocalName(local) && local.first?.isNumber == false ? (namespace, local) : nil
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
