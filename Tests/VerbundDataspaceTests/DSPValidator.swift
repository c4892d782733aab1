import Foundation

/// Runs `../shared/tools/dsp-validate` (beside the repository) on a document. The repository root is found
/// from this file's path, so it works in a worktree (`/work/<worktree>`) and in CI (`<clone>/../shared`).
enum DSPValidator {
    static var toolURL: URL {
        URL(fileURLWithPath: #filePath)  // <repo>/Tests/VerbundDataspaceTests/DSPValidator.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/tools/dsp-validate").standardizedFileURL
    }

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: toolURL.path)
    }

    /// Writes `data` to a unique temp file, validates it, and returns (exit status, output).
    static func validate(_ data: Data) throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("verbund-dataspace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("message.json")
        try data.write(to: file)

        let process = Process()
        process.executableURL = toolURL
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
