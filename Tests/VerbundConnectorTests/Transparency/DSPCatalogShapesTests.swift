import Foundation
import Testing
import VerbundDataspace
import VerbundTestSupport
@testable import VerbundConnector

/// The DSP catalog the connector serves to peers (`POST <endpoint>/catalog/request`), expanded with the DSP 2025-1
/// context of `shared/dsp-2025-1`, checked against the DCAT-AP.de 3.0 shapes by `scripts/dcat-shacl.py` (issue 13).
/// docs/dcat-ap-de.md, "The DSP catalog", says which shape a DSP catalog cannot satisfy and why; every other one it does.
@Suite(.offCooperativePool) struct DSPCatalogShapesTests {
    static let absence: String? = DCATShapesTests.absence ?? SharedFolder.absence("dsp-2025-1/context/dspace.jsonld")
        ?? PythonScript.absence(of: ["pyld"], install: "pip install pyld")

    @Test func theServedDSPCatalogHasOnlyTheViolationDSPMakesUnavoidable() throws {
        let fixture = try FederationFixture(members: ["nuernberg", "fuerth"], ags: ["nuernberg": "09564000"])
        let provider = try NegotiationTestbed.retryingBind { try fixture.start("nuernberg", modules: [CatalogModule(crawls: false)]) }
        defer { provider.stop() }
        let consumer = try NegotiationTestbed.retryingBind { try fixture.start("fuerth", modules: [CatalogModule(crawls: false)]) }
        defer { consumer.stop() }
        try CatalogHarness.insert(provider, try DCATFixture.records())
        let answer = try CatalogHarness.catalogRequest(from: consumer, to: "nuernberg")
        #expect(answer.status.code == 200)
        let body = String(decoding: answer.body, as: UTF8.self)
        guard OutsideCheckers.mayRun("validating the DSP catalog against DCAT-AP.de 3.0", absence: Self.absence),
              let result = try DCATShapesTests.validate(["catalog-dsp.json": body], profile: .v3) else { return }
        // One violation remains, and it cannot be fixed inside DSP 2025-1: the DSP context maps `endpointURL` to
        // `dcat:endpointURL` without `"@type": "@id"`, and the DSP schema requires its value to be a JSON string, so
        // RDF reads it as a literal where DCAT-AP wants an IRI (docs/dcat-ap-de.md, "The DSP catalog").
        let violations = result.output.split(separator: "\n").filter { $0.hasPrefix("  violation") }
        #expect(result.output.contains("catalog-dsp.json DCAT-AP.de 3.0: ") && result.output.contains(", 1 violations,"),
                "\(result.output)")
        #expect(violations.count == 1 && violations.allSatisfy {
            $0.contains(":dsp http://www.w3.org/ns/dcat#endpointURL") && $0.contains("Blank Node oder eine IRI")
        }, "\(result.output)")
    }
}
