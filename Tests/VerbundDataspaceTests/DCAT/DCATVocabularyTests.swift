import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundDataspace

/// Keywords fitted to CKAN's tag rules, the licence table against the vocabulary file it was made from, and the Hydra
/// paging terms of a partial export.
struct DCATVocabularyTests {
    @Test(arguments: [
        ("Verkehr", "Verkehr"), ("Luft/Qualität", "Luft-Qualität"), ("  E-Mobilität  ", "E-Mobilität"),
        ("PM2.5", "PM2.5"), ("a\nb\tc", "a b c"), ("\"Parken\" & <Laden>", "Parken-Laden"),
        ("Luft / Qualität", "Luft-Qualität"), ("x", nil), ("!!", nil),
        ("ÖPNV_2026", "ÖPNV_2026"), (String(repeating: "a", count: 150), String(repeating: "a", count: 100)),
    ] as [(String, String?)])
    func keywordsFitCKANTags(keyword: String, written: String?) {
        #expect(CKANKeyword.fitted(keyword) == written)
        if let written {
            #expect(written.count >= 2 && written.count <= 100)
            #expect(written.allSatisfy { $0.isLetter || $0.isNumber || "_-. ".contains($0) })
        }
    }

    @Test func theExportSaysWhichKeywordsItChanged() {
        let records = [DatasetRecord(id: "a", title: "A", keywords: ["Verkehr", "Rad/Fuß", "x"])]
        let changes = CKANKeyword.changes(records)
        #expect(changes.map(\.keyword) == ["Rad/Fuß", "x"])
        #expect(changes.map(\.written) == ["Rad-Fuß", nil])
        let graph = DCATAPDEGraph(catalog: DCATAPDEGraphTests.catalog, profile: .v3).graph(records)
        #expect(graph.objects(.iri("https://jena.example/dsp/catalog/datasets/a"), RDFNamespace.dcat + "keyword")
                == [.text("Verkehr", "de"), .text("Rad-Fuß", "de")])
    }

    static let vocabulary = "dcat-ap-de/vocab/dcat-ap-de-licenses-20200715.rdf"

    /// `DCATLicence.all` is every `skos:Concept` of the vocabulary file, with its German label.
    @Test func theLicenceTableIsTheVocabulary() throws {
        guard let url = SharedFolder.locate(Self.vocabulary, for: "comparing DCATLicence with the licence vocabulary") else { return }
        let text = try String(contentsOf: url, encoding: .utf8)
        let concepts = text.components(separatedBy: "<skos:Concept rdf:about=\"").dropFirst().map { block in
            let iri = String(block.prefix { $0 != "\"" })
            let label = block.components(separatedBy: "<skos:prefLabel xml:lang=\"de\">").dropFirst().first
                .map { String($0.prefix { $0 != "<" }) } ?? ""
            return (iri, label)
        }
        #expect(concepts.count == 34)
        #expect(concepts.map(\.0).sorted() == DCATLicence.all.map(\.iri).sorted())
        for (iri, label) in concepts {
            #expect(DCATLicence.all.first { $0.iri == iri }?.label == label, "\(iri)")
        }
    }

    @Test func pagesLinkAbsolutelyAndTheLastHasNoNext() {
        let base = "https://jena.example/dcat/catalog?page="
        let middle = DCATPage(iri: base + "2", first: base + "1", last: base + "3", next: base + "3", previous: base + "1",
                              totalItems: 250, itemsPerPage: 100)
        let graph = DCATAPDEGraph(catalog: DCATAPDEGraphTests.catalog, profile: .v3).graph([], page: middle)
        let node = RDFTerm.iri(base + "2")
        let hydra = RDFNamespace.hydra
        #expect(graph.objects(node, hydra + "next") == [.iri(base + "3")])
        #expect(graph.objects(node, hydra + "nextPage") == [.iri(base + "3")])
        #expect(graph.objects(node, hydra + "totalItems") == [.typed("250", RDFNamespace.xsd + "integer")])
        var last = middle
        last.iri = base + "3"
        last.next = nil
        let lastGraph = DCATAPDEGraph(catalog: DCATAPDEGraphTests.catalog, profile: .v3).graph([], page: last)
        #expect(lastGraph.objects(.iri(base + "3"), hydra + "next").isEmpty)
        #expect(lastGraph.objects(.iri(base + "3"), hydra + "nextPage").isEmpty)
        #expect(lastGraph.objects(.iri(base + "3"), hydra + "previous") == [.iri(base + "1")])
    }
}
