import Foundation
import VerbundTestSupport
import Testing

/// The official DSP 2025-1 schema check: `tools/dsp-validate` in the shared folder beside the repository
/// (`OutsideCheckers` decides whether a missing or unusable tool skips the check or fails the test).
enum DSPValidator {
    static let check = "DSP 2025-1 schema check"

    /// The trait of a test that only runs the schema check.
    static var needed: ConditionTrait { OutsideCheckers.trait(check, absence: SharedFolder.dspValidateAbsence) }

    /// Writes `data` to a unique temp file, validates it, and returns (exit status, output); nil when the validator
    /// is missing (the skip is printed, or an issue recorded when it is required).
    static func validate(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32, output: String)? {
        guard OutsideCheckers.mayRun(check, absence: SharedFolder.dspValidateAbsence, sourceLocation: sourceLocation) else {
            return nil
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("verbund-dataspace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("message.json")
        try data.write(to: file)

        let process = Process()
        process.executableURL = SharedFolder.url(SharedFolder.dspValidate)
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
