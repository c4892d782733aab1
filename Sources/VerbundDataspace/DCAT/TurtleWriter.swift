/// Writes an `RDFGraph` as Turtle (W3C RDF 1.1 Turtle): prefixes, one block per subject, `a` for `rdf:type`.
/// Literals are written as `"…"` with the escapes of §6.4 (quotes, backslash, line breaks, and `\uXXXX` for other
/// control characters); IRIs as `<…>` with the characters IRIREF (§6.3) excludes percent-encoded (`RDFLabel.iri`,
/// the same in all three writers), so no title or IRI, however hostile, can end a term early. Blank nodes are
/// `_:b0`, `_:b1`, … (`RDFGraph.blankNames`).
package enum TurtleWriter {
    package static func write(_ graph: RDFGraph) -> String {
        let blanks = graph.blankNames
        var out = ""
        for (prefix, namespace) in graph.prefixes {
            out += "@prefix \(prefix): \(iriRef(namespace)) .\n"
        }
        for (subject, triples) in graph.subjects {
            out += "\n" + term(subject, graph, blanks)
            var first = true
            for triple in triples {
                out += first ? "\n    " : " ;\n    "
                first = false
                let predicate = triple.predicate == RDFNamespace.rdf + "type" ? "a" : iri(triple.predicate, graph)
                out += predicate + " " + term(triple.object, graph, blanks)
            }
            out += " .\n"
        }
        return out
    }

    static func term(_ term: RDFTerm, _ graph: RDFGraph, _ blanks: [String: String]) -> String {
        switch term {
        case .iri(let value): return iri(value, graph)
        case .blank(let label): return "_:" + (blanks[label] ?? "b")
        case .literal(let value, let datatype, let language):
            let quoted = "\"" + escape(value) + "\""
            if let language, RDFLabel.isLanguageTag(language) { return quoted + "@" + language }
            if let datatype { return quoted + "^^" + iri(datatype, graph) }
            return quoted
        }
    }

    /// A prefixed name when a declared namespace covers the IRI and the rest is a plain local name, else `<…>`.
    static func iri(_ raw: String, _ graph: RDFGraph) -> String {
        let value = RDFLabel.iri(raw)
        for (prefix, namespace) in graph.prefixes where value.hasPrefix(namespace) {
            let local = value.dropFirst(namespace.count)
            if RDFLabel.isPlainLocalName(local) { return prefix + ":" + local }
        }
        return iriRef(value)
    }

    static func iriRef(_ value: String) -> String { "<" + RDFLabel.iri(value) + ">" }

    static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += RDFLabel.uchar(scalar) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// Lexical checks and escapes the RDF writers share.
enum RDFLabel {
    /// `\uXXXX` (or `\UXXXXXXXX`) for one scalar.
    static func uchar(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return scalar.value > 0xFFFF
            ? "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// ASCII letters, digits, `_` and `-`, not starting with `-`: safe as a Turtle local name and an XML name tail.
    static func isPlainLocalName(_ local: Substring) -> Bool {
        guard let first = local.first, first != "-" else { return false }
        return local.unicodeScalars.allSatisfy { $0.isASCII && (isAlphanumeric($0) || $0 == "_" || $0 == "-") }
    }

    /// The IRI as all three writers write it: the characters RFC 3987 §2.2 does not allow in an IRI and Turtle's
    /// IRIREF (§6.3) excludes — controls, space, DEL and `<>"{}|\^` and backtick — percent-encoded as their UTF-8
    /// bytes (RFC 3986 §2.1); everything else, non-ASCII included, as given.
    static func iri(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar.value <= 0x20 || scalar.value == 0x7F || "<>\"{}|\\^`".unicodeScalars.contains(scalar) {
                for byte in String(scalar).utf8 {
                    let hex = String(byte, radix: 16, uppercase: true)
                    out += "%" + (hex.count == 1 ? "0" + hex : hex)
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// BCP 47 in the shape Turtle's LANGTAG allows: `[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`.
    static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, first.count <= 8,
              first.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            !part.isEmpty && part.count <= 8 && part.unicodeScalars.allSatisfy { $0.isASCII && isAlphanumeric($0) }
        }
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
