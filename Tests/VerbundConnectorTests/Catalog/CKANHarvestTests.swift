import Foundation
import Testing
import VerbundDataspace
import VerbundTestSupport
@testable import VerbundConnector

/// The export as GovData's harvester reads it: ckanext-dcat's `RDFParser` (CKAN's DCAT extension, from PyPI) parses
/// each syntax and each profile into CKAN datasets. It runs from the virtual environment `scripts/ci-dcat.sh` makes in
/// `.build/ckan-venv` (or `VERBUND_CKAN_PYTHON`); without it the check is skipped with the reason.
@Suite(.offCooperativePool) struct CKANHarvestTests {
    static let check = "harvesting the export with ckanext-dcat's RDFParser"
    static let python: URL = ProcessInfo.processInfo.environment["VERBUND_CKAN_PYTHON"].map { URL(fileURLWithPath: $0) }
        // Not standardized: that resolves the venv's symlinked interpreter to the system one, outside the venv.
        ?? URL(fileURLWithPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../../.build/ckan-venv/bin/python")
    static let absence: String? = FileManager.default.isExecutableFile(atPath: python.path)
        ? OutsideCheckers.probe(python, ["-c", "from ckanext.dcat.processors import RDFParser"], what: "ckanext-dcat in \(python.path)")
        : "\(python.path) not found (scripts/ci-dcat.sh makes it; or set VERBUND_CKAN_PYTHON)"

    static let script = #"""
        import json, os, sys
        from ckanext.dcat.processors import RDFParser
        folder = sys.argv[1]
        out = {}
        for name, fmt in [("catalog.ttl", "turtle"), ("catalog.rdf", "xml"), ("catalog.jsonld", "json-ld")]:
            parser = RDFParser()
            parser.parse(open(os.path.join(folder, name), encoding="utf-8").read(), _format=fmt)
            datasets = sorted(parser.datasets(), key=lambda d: d.get("identifier") or "")
            out[name] = {
                "next": parser.next_page(),
                "datasets": [{
                    "title": d.get("title"), "identifier": d.get("identifier"),
                    "tags": [t["name"] for t in d.get("tags", [])],
                    "licenses": [r.get("license") for r in d.get("resources", [])],
                    "urls": [r.get("url") or r.get("access_url") for r in d.get("resources", [])],
                } for d in datasets],
            }
        print(json.dumps(out))
        """#

    struct Harvested: Decodable {
        struct Dataset: Decodable {
            var title: String?
            var identifier: String?
            var tags: [String]
            var licenses: [String?]
            var urls: [String?]
        }
        var next: String?
        var datasets: [Dataset]
    }

    static func harvest(_ records: [DatasetRecord], profile: DCATAPDEProfile, page: DCATPage? = nil) throws -> [String: Harvested]? {
        guard OutsideCheckers.mayRun(check, absence: absence) else { return nil }
        var files: [String: String] = [:]
        for format in DCATFormat.allCases {
            files["catalog.\(format.fileExtension)"] = try DCATExport.render(records, catalog: DCATFixture.catalog, profile: profile,
                                                                            format: format, page: page)
        }
        return try harvest(files: files)
    }

    /// Parses `catalog.ttl`, `catalog.rdf` and `catalog.jsonld` (e.g. as a running daemon served them) with the harvester;
    /// nil when it is missing (skipped or failed by `mayRun`).
    static func harvest(files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Harvested]? {
        guard OutsideCheckers.mayRun(check, absence: absence, sourceLocation: sourceLocation) else { return nil }
        let result = try PythonScript.run(script, files: files, interpreter: python.path, timeout: 300)
        #expect(result.status == 0, "\(result.output)")
        let json = result.output.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
        return try JSONDecoder().decode([String: Harvested].self, from: Data(json.utf8))
    }

    @Test(arguments: DCATAPDEProfile.allCases)
    func everyDatasetArrivesWithTitleLicenceAndTags(profile: DCATAPDEProfile) throws {
        var records = try DCATFixture.records()
        records[2].keywords.append("Rad/Fuß")
        guard let harvested = try Self.harvest(records, profile: profile) else { return }
        #expect(harvested.count == 3)
        for (name, catalog) in harvested {
            #expect(catalog.next == nil, "\(name): no next page on a single page")
            #expect(catalog.datasets.count == 5, "\(name)")
            for dataset in catalog.datasets {
                #expect(dataset.title?.isEmpty == false, "\(name)")
                #expect(!dataset.licenses.isEmpty && dataset.licenses.allSatisfy { $0?.hasPrefix("http://dcat-ap.de/def/licenses/") == true },
                        "\(name) \(dataset.licenses)")
                // Open data: the public download URL; under contract: the DSP endpoint.
                let open = DCATFixture.catalog.downloadURLs.values.first
                #expect(dataset.urls.allSatisfy { $0 == "https://verbund.nuernberg.example/dsp" || $0 == open }, "\(name) \(dataset.urls)")
                #expect(dataset.tags.allSatisfy { CKANKeyword.fitted($0) == $0 }, "\(name) \(dataset.tags)")
            }
            #expect(catalog.datasets.flatMap(\.tags).contains("Rad-Fuß"), "\(name)")
            #expect(catalog.datasets.filter { $0.urls.contains(DCATFixture.catalog.downloadURLs.values.first) }.count == 1, "\(name)")
        }
    }

    @Test func aPagedExportLeadsTheHarvesterToTheAbsoluteNextPage() throws {
        let records = try DCATFixture.records()
        let base = "https://opendata.nuernberg.example/dcat/catalog?page="
        let page = DCATPage(iri: base + "1", first: base + "1", last: base + "2", next: base + "2", previous: nil,
                            totalItems: 7, itemsPerPage: 5)
        guard let harvested = try Self.harvest(records, profile: .v3, page: page) else { return }
        for (name, catalog) in harvested {
            #expect(catalog.next == base + "2", "\(name)")
        }
    }
}
