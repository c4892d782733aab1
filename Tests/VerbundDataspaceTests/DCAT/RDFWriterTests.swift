import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundDataspace

/// The three RDF writers as values: hostile literals and IRIs cannot end a term early, and what rdflib (a parser that
/// knows nothing of Verbund) reads back from each syntax is exactly the graph that was written.
@Suite(.offCooperativePool) struct RDFWriterTests {
    typealias NS = RDFNamespace
    static let ex = "http://example.org/"
    static let subject = RDFTerm.iri(ex + "dataset/1")
    static let hostileIRI = "http://example.org/a>b c\"d{e}|^`\\<"
    static let hostileIRIWritten = "http://example.org/a%3Eb%20c%22d%7Be%7D%7C%5E%60%5C%3C"

    /// Quotes, long-string quotes, backslashes, line breaks, markup, non-ASCII beyond the BMP, control characters,
    /// valid and invalid language tags, datatypes, hostile and non-ASCII IRIs, blank labels that reduce alike, a
    /// predicate outside the declared namespaces whose local name has a dot, and a literal subject.
    static var hostile: RDFGraph {
        var graph = RDFGraph()
        graph.add(subject, NS.rdf + "type", .iri(NS.dcat + "Dataset"))
        graph.add(subject, NS.dct + "title", .text("Quote \" and ''' and \"\"\" end", "de"))
        graph.add(subject, NS.dct + "title", .text("Line1\nLine2\r\nTab\tEnd\\", "en-GB"))
        graph.add(subject, NS.dct + "description", .text("</dct:description><evil/> & ]]> <!-- \"x\"@de ^^<y>"))
        graph.add(subject, NS.dct + "description", .text("Straße Ölpreis 😀 \u{2028} Zoë", "de"))
        graph.add(subject, NS.dct + "description", .text("bell\u{07}start\u{01}end"))
        graph.add(subject, NS.dct + "description", .text(""))
        graph.add(subject, NS.dcat + "keyword", .text("bad tag", "de_DE"))
        graph.add(subject, NS.dcat + "byteSize", .typed("42", NS.xsd + "nonNegativeInteger"))
        graph.add(subject, ex + "vocab#odd.name", .typed("x", ex + "type>with space"))
        graph.add(subject, NS.dct + "spatial", .iri(hostileIRI))
        graph.add(subject, NS.dct + "relation", .iri("http://example.org/münchen/straße"))
        graph.add(subject, NS.dcat + "contactPoint", .blank("a-b"))
        graph.add(subject, NS.dcat + "contactPoint", .blank("a_b"))
        graph.add(.blank("a-b"), NS.vcard + "fn", .text("first"))
        graph.add(.blank("a_b"), NS.vcard + "fn", .text("second"))
        graph.add(.literal("x"), NS.dct + "title", .text("a literal cannot be a subject"))
        return graph
    }

    @Test func aLiteralSubjectIsNotAddedAndDuplicatesAreDropped() {
        var graph = Self.hostile
        #expect(graph.triples.count == 16)
        graph.add(Self.subject, NS.dct + "title", .text("Quote \" and ''' and \"\"\" end", "de"))
        #expect(graph.triples.count == 16)
        #expect(graph.triples.allSatisfy { !$0.subject.isLiteral })
    }

    @Test func turtleEscapesLiteralsAndPercentEncodesIRIs() {
        let turtle = TurtleWriter.write(Self.hostile)
        #expect(turtle.contains(#""Quote \" and ''' and \"\"\" end"@de"#))
        #expect(turtle.contains(#""Line1\nLine2\r\nTab\tEnd\\"@en-GB"#))
        #expect(turtle.contains(#""bell\u0007start\u0001end""#))
        #expect(turtle.contains("\"Straße Ölpreis 😀 \u{2028} Zoë\"@de"))
        #expect(turtle.contains("\"bad tag\""), "an invalid language tag is left off, not written")
        #expect(!turtle.contains("de_DE"))
        #expect(turtle.contains("\"42\"^^xsd:nonNegativeInteger"))
        #expect(turtle.contains("<\(Self.hostileIRIWritten)>"))
        #expect(turtle.contains("\"x\"^^<http://example.org/type%3Ewith%20space>"))
        #expect(turtle.contains("<http://example.org/münchen/straße>"))
        #expect(turtle.contains("_:b0") && turtle.contains("_:b1"), "two blank labels stay two nodes")
        #expect(!turtle.contains("Line1\nLine2"), "no raw line break inside a literal")
        #expect(!turtle.contains("a literal cannot be a subject"))
    }

    @Test func rdfXMLEscapesMarkupAndReplacesWhatXMLCannotCarry() throws {
        let xml = try RDFXMLWriter.write(Self.hostile)
        #expect(xml.contains("&lt;/dct:description&gt;&lt;evil/&gt; &amp; ]]&gt; &lt;!-- &quot;x&quot;@de ^^&lt;y&gt;"))
        #expect(!xml.contains("<evil/>"))
        #expect(xml.contains("Line1&#10;Line2&#13;&#10;Tab&#9;End\\"))
        #expect(xml.contains("bell\u{FFFD}start\u{FFFD}end"))
        #expect(xml.contains("rdf:resource=\"\(Self.hostileIRIWritten)\""))
        #expect(xml.contains("xml:lang=\"en-GB\""))
        #expect(xml.contains("<ns10:odd.name rdf:datatype=\"http://example.org/type%3Ewith%20space\">x</ns10:odd.name>"))
        #expect(xml.contains("xmlns:ns10=\"http://example.org/vocab#\""))
    }

    @Test func rdfXMLRefusesAPredicateWithoutAnXMLNameRatherThanDropIt() {
        for predicate in ["http://example.org/p/", "http://example.org/123", "urn:x:1-2"] {
            var graph = RDFGraph()
            graph.add(Self.subject, predicate, .text("v"))
            #expect(throws: RDFXMLWriter.UnwritablePredicate(predicate: predicate)) { try RDFXMLWriter.write(graph) }
        }
    }

    @Test func jsonLDIsExpandedAndRefusesKeywordsAndRelativePredicates() throws {
        let text = try JSONLDWriter.write(Self.hostile)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let nodes = try #require(document["@graph"] as? [[String: Any]])
        let dataset = try #require(nodes.first { $0["@id"] as? String == Self.ex + "dataset/1" })
        let titles = try #require(dataset[NS.dct + "title"] as? [[String: String]])
        #expect(titles.contains(["@value": "Line1\nLine2\r\nTab\tEnd\\", "@language": "en-GB"]))
        let spatial = try #require(dataset[NS.dct + "spatial"] as? [[String: String]])
        #expect(spatial == [["@id": Self.hostileIRIWritten]])
        #expect(dataset["@type"] as? [String] == [NS.dcat + "Dataset"])
        for predicate in ["@type", "title", "_:b0"] {
            var graph = RDFGraph()
            graph.add(Self.subject, predicate, .text("v"))
            #expect(throws: JSONLDWriter.UnwritableIRI(iri: predicate)) { try JSONLDWriter.write(graph) }
        }
    }

    static let rdflibCheck = "parsing the RDF writers' output back with Python's rdflib"
    static let rdflibAbsence = PythonScript.absence(of: ["rdflib"], install: "pip install rdflib")

    /// rdflib parses each syntax; the graph it reads must be isomorphic to the expected graph, which the script
    /// builds itself from the triples as JSON: IRIs percent-encoded by its own code, and for RDF/XML the characters
    /// XML cannot carry replaced by U+FFFD.
    @Test func rdflibReadsBackTheSameTriplesFromAllThreeSyntaxes() throws {
        guard OutsideCheckers.mayRun(Self.rdflibCheck, absence: Self.rdflibAbsence) else { return }
        let graph = Self.hostile
        let result = try PythonScript.run(Self.roundTripScript, files: [
            "expected.json": try Self.tripleJSON(graph),
            "graph.ttl": TurtleWriter.write(graph),
            "graph.rdf": try RDFXMLWriter.write(graph),
            "graph.jsonld": try JSONLDWriter.write(graph),
        ])
        #expect(result.status == 0, "\(result.output)")
        for format in ["turtle", "xml", "json-ld"] {
            #expect(result.output.contains("\(format) 16 isomorphic"), "\(result.output)")
        }
    }

    /// The triples as JSON (the encoder escapes the strings), for the script to build its expected graph from.
    static func tripleJSON(_ graph: RDFGraph) throws -> String {
        func term(_ term: RDFTerm) -> [String: String] {
            switch term {
            case .iri(let value): return ["iri": value]
            case .blank(let label): return ["blank": label]
            case .literal(let value, let datatype, let language):
                var out = ["value": value]
                if let language, RDFLabel.isLanguageTag(language) { out["language"] = language }
                else if let datatype { out["datatype"] = datatype }
                return out
            }
        }
        let triples = graph.triples.map { [term($0.subject), ["iri": $0.predicate], term($0.object)] }
        return String(decoding: try JSONEncoder().encode(triples), as: UTF8.self)
    }

    static let roundTripScript = #"""
        import json, os, sys
        from rdflib import BNode, Graph, Literal, URIRef
        from rdflib.compare import graph_diff, isomorphic, to_isomorphic
        folder = sys.argv[1]
        FORBIDDEN = '<>"{}|^`\\'

        def iri(text):
            return "".join("".join("%%%02X" % b for b in c.encode("utf-8"))
                           if ord(c) <= 0x20 or ord(c) == 0x7F or c in FORBIDDEN else c for c in text)

        def xml_text(text):
            return "".join("\ufffd" if (ord(c) < 0x20 and c not in "\t\n\r") or c in "\ufffe\uffff" else c for c in text)

        def term(t, for_xml):
            if "iri" in t: return URIRef(iri(t["iri"]))
            if "blank" in t: return BNode(t["blank"])
            value = xml_text(t["value"]) if for_xml else t["value"]
            if "language" in t: return Literal(value, lang=t["language"])
            if "datatype" in t: return Literal(value, datatype=URIRef(iri(t["datatype"])))
            return Literal(value)

        triples = json.load(open(os.path.join(folder, "expected.json"), encoding="utf-8"))
        failed = False
        for name, fmt in [("graph.ttl", "turtle"), ("graph.rdf", "xml"), ("graph.jsonld", "json-ld")]:
            expected = Graph()
            for s, p, o in triples:
                expected.add((term(s, fmt == "xml"), term(p, False), term(o, fmt == "xml")))
            parsed = Graph()
            parsed.parse(os.path.join(folder, name), format=fmt)
            if len(parsed) == len(expected) and isomorphic(parsed, expected):
                print(fmt, len(parsed), "isomorphic")
            else:
                failed = True
                both, only_parsed, only_expected = graph_diff(to_isomorphic(parsed), to_isomorphic(expected))
                print(fmt, len(parsed), "DIFFERS from", len(expected))
                for t in sorted(only_parsed): print("  only in output:", t)
                for t in sorted(only_expected): print("  only expected:", t)
        sys.exit(1 if failed else 0)
        """#
}
