import Foundation

/// Finds the built `verbund` executable for child-process tests: SwiftPM puts it in the same folder as the test bundle
/// (`.build/<triple>/debug/verbund` next to `VerbundPackageTests.xctest`).
enum ExecutableLocator {
    static func verbund() throws -> String {
        var candidates: [String] = []
        for bundle in Bundle.allBundles + [Bundle.main] {
            let folder = (bundle.bundlePath as NSString).deletingLastPathComponent
            candidates.append(folder + "/verbund")
            candidates.append(bundle.bundlePath + "/verbund")
        }
        let argumentFolder = ((CommandLine.arguments.first ?? "") as NSString).deletingLastPathComponent
        candidates.append(argumentFolder + "/verbund")
        if let executable = Bundle.main.executablePath {
            candidates.append((executable as NSString).deletingLastPathComponent + "/verbund")
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw FixtureError("the verbund executable is not built next to the tests (looked at \(candidates.joined(separator: ", "))); run swift build first")
    }
}
