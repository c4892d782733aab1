import Foundation
import Testing
import VerbundDataspace
import VerbundTestSupport
@testable import VerbundConnector

/// The DCAT-AP.de export of a realistic catalog has no SHACL violation, checked by pyshacl with the official shapes
/// of `shared/dcat-ap-de` through `scripts/dcat-shacl.py` (the script `scripts/ci-dcat.sh` runs too): 3.0 and 2.0,
/// each in all three syntaxes.
@Suite(.offCooperativePool) struct DCATShapesTests {
    static let check = "validating the DCAT-AP.de export with pyshacl and the official shapes"
    static let absence: String? = SharedFolder.absence("dcat-ap-de/v3.0/dcat-ap-SHACL-DE.ttl")
        ?? PythonScript.absence(of: ["pyshacl", "rdflib"], install: "pip install pyshacl rdflib")
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/dcat-shacl.py")
        .standardizedFileURL

    @Test(arguments: DCATAPDEProfile.allCases)
    func theExportHasNoViolations(profile: DCATAPDEProfile) throws {
        let records = try DCATFixture.records()
        var files: [String: String] = [:]
        for format in DCATFormat.allCases {
            files["catalog.\(format.fileExtension)"] = try DCATExport.render(records, catalog: DCATFixture.catalog,
                                                                            profile: profile, format: format)
        }
        guard let result = try Self.validate(files, profile: profile) else { return }
        #expect(result.status == 0, "\(result.output)")
        for name in files.keys {
            #expect(result.output.contains("\(name) DCAT-AP.de \(profile.rawValue): "), "\(result.output)")
        }
        #expect(!result.output.contains("  violation"), "\(result.output)")
        #expect(result.output.components(separatedBy: ", 0 violations,").count == 4, "\(result.output)")
    }

    /// The check can fail: the same export without `dcat:accessURL` (mandatory) and with a literal theme has
    /// violations in every profile.
    @Test(arguments: DCATAPDEProfile.allCases)
    func aDistributionWithoutAccessURLIsAViolation(profile: DCATAPDEProfile) throws {
        var records = try DCATFixture.records()
        records[0].themes = ["Verkehr"]
        let turtle = try DCATExport.render(records, catalog: DCATFixture.catalog, profile: profile, format: .turtle)
        let broken = turtle.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("dcat:accessURL") }.joined(separator: "\n")
        #expect(broken.count < turtle.count)
        guard let result = try Self.validate(["catalog.ttl": broken], profile: profile) else { return }
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("accessURL"), "\(result.output)")
        #expect(result.output.contains("violation (namespace)") && result.output.contains("Verkehr"), "\(result.output)")
    }

    /// Runs `scripts/dcat-shacl.py` on the files; nil when pyshacl or the shapes are missing (skipped or failed).
    static func validate(_ files: [String: String], profile: DCATAPDEProfile,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> PythonScript.Result? {
        guard OutsideCheckers.mayRun(check, absence: absence, sourceLocation: sourceLocation) else { return nil }
        let runner = """
            import os, runpy, sys
            folder = sys.argv[1]
            sys.argv = [sys.argv[2], "--profile", sys.argv[3], "--shapes", sys.argv[4]] + \
                [os.path.join(folder, name) for name in sys.argv[5:]]
            runpy.run_path(sys.argv[0], run_name="__main__")
            """
        let result = try PythonScript.run(runner, files: files, arguments: [
            script.path, profile.rawValue, SharedFolder.url("dcat-ap-de").path,
        ] + files.keys.sorted(), timeout: 600)
        print(result.output)
        return result
    }
}
