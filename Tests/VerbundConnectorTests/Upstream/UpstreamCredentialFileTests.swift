import Foundation
import Testing
@testable import VerbundConnector

/// Credential files are read only when owner-only, and errors never carry their contents.
@Suite struct UpstreamCredentialFileTests {
    func write(_ text: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("verbund-credential-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func anOwnerOnlyFileIsReadWithoutItsLineBreak() throws {
        let path = try write("s3cret-token\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try UpstreamCredentialFile.read(path) == Array("s3cret-token".utf8))
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func aFileOthersCanReadIsRefusedWithChmodAdvice(mode: Int) throws {
        let path = try write("s3cret-token\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: UpstreamCredentialFile.Failure.self) { try UpstreamCredentialFile.read(path) }
        do {
            _ = try UpstreamCredentialFile.read(path)
        } catch {
            #expect(error.description.contains("chmod 600 \(path)"))
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test func missingAndEmptyFilesSayWhat() throws {
        let empty = try write("\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: UpstreamCredentialFile.Failure.empty(path: empty)) { try UpstreamCredentialFile.read(empty) }
        #expect(throws: UpstreamCredentialFile.Failure.self) { try UpstreamCredentialFile.read("/nonexistent/verbund/x") }
    }
}
