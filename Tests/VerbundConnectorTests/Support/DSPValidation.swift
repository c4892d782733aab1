import Foundation
import Testing

/// The official DSP 2025-1 schemas through `<repo>/../shared/tools/dsp-validate`; the repository is found from this
/// file's path (the folder holding `Package.swift`), so it works in any worktree.
enum DSPValidation {
    static var tool: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1, !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().appendingPathComponent("shared/tools/dsp-validate").path
    }

    /// Runs the tool on the bodies (one file each, in `folder`); returns its complaints, empty when all are valid.
    static func failures(_ bodies: [[UInt8]], in folder: TemporaryFolder = TemporaryFolder("verbund-dsp-validate")) throws -> [String] {
        guard !bodies.isEmpty else { return [] }
        var paths: [String] = []
        for (index, body) in bodies.enumerated() {
            let path = folder.file("dsp-\(index).json")
            try Data(body).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
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
        try #require(FileManager.default.isExecutableFile(atPath: tool), "dsp-validate not found at \(tool)", sourceLocation: sourceLocation)
        let complaints = try failures(bodies, in: folder)
        #expect(complaints.isEmpty, "dsp-validate failed:\n\(complaints.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
