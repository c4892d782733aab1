import Foundation
import Testing
import VerbundTestSupport
import VerbundTrust
@testable import VerbundConnector

/// `DownloadPipeline`: what the connection's thread hands over arrives in the file and the digest in order, in
/// batches, and a write failure reaches the pushing thread instead of being lost.
@Suite(.offCooperativePool) struct DownloadPipelineTests {
    @Test func piecesArriveInOrderInTheFileAndTheDigest() throws {
        let folder = NSTemporaryDirectory() + "verbund-pipeline-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.bin"
        let pipeline = DownloadPipeline(file: try DownloadFile(path: path, append: false), digest: try DownloadDigest(prefixOf: path, length: 0))
        var expected: [UInt8] = []
        for index in 0..<200 {
            // Pieces of varying size, as a TLS connection delivers them, 3 MiB and more in all.
            let piece = [UInt8](repeating: UInt8(index % 251), count: 1000 + (index * 7919) % 65_536)
            expected += piece
            try pipeline.push(piece)
        }
        let digest = try pipeline.finish()
        #expect(digest == Hex.encode(SHA256.hash(expected)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(expected))
    }

    @Test func aWriteFailureReachesThePushingThread() throws {
        // /dev/full accepts the open and fails every write with ENOSPC: a full disk.
        try #require(FileManager.default.isWritableFile(atPath: "/dev/full"))
        let pipeline = DownloadPipeline(file: try DownloadFile(path: "/dev/full", append: true), digest: nil)
        // A push may or may not see the failure yet (the worker runs behind); `finish` always does.
        for _ in 0..<64 {
            do { try pipeline.push([UInt8](repeating: 1, count: 65_536)) } catch { break }
        }
        let error = #expect(throws: (any Error).self) { _ = try pipeline.finish() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("No space"), "\(String(describing: error))")
    }
}
