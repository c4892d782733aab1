import Foundation
import VerbundTestSupport
import Testing

/// The official DSP 2025-1 schema check: `tools/dsp-validate` in the shared folder beside the repository
/// (`OutsideCheckers` decides whether a missing or unusable tool skips the check or fails the test).
enum DSPValidation {
    static let check = "DSP 2025-1 schema check"

    /// Runs the tool on the bodies (one file each, in `folder`); returns its complaints, empty when all are valid.
    /// A missing tool gives no failures: the skip is printed, or an issue recorded when the tool is required.
    static func failures(_ bodies: [[UInt8]], in folder: TemporaryFolder = TemporaryFolder("verbund-dsp-validate"),
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        guard !bodies.isEmpty,
              OutsideCheckers.mayRun(check, absence: SharedFolder.dspValidateAbsence, sourceLocation: sourceLocation)
        else { return [] }
        var paths: [String] = []
        for (index, body) in bodies.enumerated() {
            let path = folder.file("dsp-\(index).json")
            try Data(body).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let process = Process()
        process.executableURL = SharedFolder.url(SharedFolder.dspValidate)
        process.arguments = paths
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? [] : [text]
    }

    /// Records an issue naming the failures unless every body is valid; an empty list is an issue too (a test that
    /// validates nothing proves nothing).
    static func validate(_ bodies: [[UInt8]], in folder: TemporaryFolder = TemporaryFolder("verbund-dsp-validate"),
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!bodies.isEmpty, "nothing to validate", sourceLocation: sourceLocation)
        let complaints = try failures(bodies, in: folder, sourceLocation: sourceLocation)
        #expect(complaints.isEmpty, "dsp-validate failed:\n\(complaints.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
