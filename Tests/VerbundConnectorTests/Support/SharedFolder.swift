import Foundation
import Testing

/// The team's folder beside the repository, `<repo>/../shared`: the official DSP 2025-1 schemas with their example
/// files, and `tools/dsp-validate`, which checks a message against those schemas. The repository carries no copies of
/// them. A fresh clone has no such folder, so a check that needs a file from it is skipped with a printed reason,
/// while the rest of the test runs; with `VERBUND_REQUIRE_SHARED=1` (as `.ci/run` sets) a missing file fails the test.
/// Each test target has its own copy of this file (test targets cannot share sources); keep them identical.
enum SharedFolder {
    static let requirementVariable = "VERBUND_REQUIRE_SHARED"

    /// `<repo>/../shared`; the repository is the first folder above this file that holds `Package.swift`.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1,
              !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// Whether a missing file is a failure rather than a skipped check.
    static var isRequired: Bool { ProcessInfo.processInfo.environment[requirementVariable] == "1" }

    static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    static func contains(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relativePath).path)
    }

    /// Why `check` cannot run here.
    static func absence(_ relativePath: String, check: String) -> String {
        "\(check): \(url(relativePath).path) not found (no `shared` folder beside the repository)"
    }

    /// The file for `check`, or nil when it is missing: then an issue is recorded when required, otherwise the
    /// skipped check is printed with its reason.
    static func locate(_ relativePath: String, for check: String,
                       sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if contains(relativePath) { return url(relativePath) }
        if isRequired {
            Issue.record("\(absence(relativePath, check: check)), and \(requirementVariable)=1 requires it",
                         sourceLocation: sourceLocation)
        } else {
            print("skipped check at \(sourceLocation.fileName):\(sourceLocation.line): "
                + "\(absence(relativePath, check: check)); set \(requirementVariable)=1 to make this a failure")
        }
        return nil
    }

    /// For a test that is nothing but `check`: it runs when the file is there or required (a missing file then fails
    /// through `locate`), and is skipped with the reason otherwise.
    static func needs(_ relativePath: String, for check: String) -> ConditionTrait {
        .enabled(if: contains(relativePath) || isRequired,
                 Comment(rawValue: "skipped: \(absence(relativePath, check: check)); set \(requirementVariable)=1 to require it"))
    }
}
