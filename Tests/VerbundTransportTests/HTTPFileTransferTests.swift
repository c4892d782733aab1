import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

@Suite(.offCooperativePool) struct HTTPFileTransferTests {
    private func fileServer(_ path: String) throws -> HTTPServer {
        try startServer { router in
            router.get("/data") { request, _ in try .file(at: path, for: request, contentType: "text/csv") }
        }
    }

    private func makeFile(_ bytes: [UInt8]) throws -> (URL, String) {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("data.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test func rangesAndIfRange() throws {
        let content = Array((0..<1000).map { UInt8($0 % 251) })
        let (directory, path) = try makeFile(content)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try fileServer(path)
        defer { server.stop() }
        let client = HTTPClient()
        var request = HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/data")

        let whole = try client.send(request)
        #expect(whole.status.code == 200)
        #expect(whole.body == content)
        #expect(whole.headers["accept-ranges"] == "bytes")
        let etag = try #require(whole.headers["etag"])

        request.setRange(from: 10, through: 19)
        let part = try client.send(request)
        #expect(part.status.code == 206)
        #expect(part.body == Array(content[10...19]))
        #expect(part.headers["content-range"] == "bytes 10-19/1000")

        request.headers.set("Range", "bytes=-5")
        #expect(try client.send(request).body == Array(content[995...]))

        request.setRange(from: 990, ifRange: etag)
        let resumed = try client.send(request)
        #expect(resumed.status.code == 206)
        #expect(resumed.body == Array(content[990...]))

        request.setRange(from: 990, ifRange: "\"stale\"")
        let changed = try client.send(request)
        #expect(changed.status.code == 200)
        #expect(changed.body.count == 1000)

        request.setRange(from: 1000)
        let unsatisfiable = try client.send(request)
        #expect(unsatisfiable.status.code == 416)
        #expect(unsatisfiable.headers["content-range"] == "bytes */1000")

        request.headers.set("Range", "bytes=0-1,5-6")
        #expect(try client.send(request).status.code == 200)

        var head = HTTPClientRequest(method: .head, host: "127.0.0.1", port: server.localPort, target: "/data")
        head.setRange(from: 0, through: 99)
        let headResponse = try client.send(head)
        #expect(headResponse.status.code == 206)
        #expect(headResponse.headers["content-length"] == "100")
        #expect(headResponse.body.isEmpty)
        #expect(client.connectionsOpened == 1)
    }

    @Test func downloadResumesIntoAFile() throws {
        let content = Array((0..<300_000).map { UInt8($0 % 253) })
        let (directory, path) = try makeFile(content)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try fileServer(path)
        defer { server.stop() }
        let client = HTTPClient()
        let target = directory.appendingPathComponent("copy.csv").path
        var request = HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/data")
        request.setRange(from: 0, through: 99_999)
        let first = try client.download(request, to: target)
        #expect(first.head.status.code == 206)
        #expect(first.bytesWritten == 100_000)
        request.setRange(from: 100_000)
        let rest = try client.download(request, to: target, append: true)
        #expect(rest.bytesWritten == 200_000)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(content))

        let missing = HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/none")
        let notFound = try client.download(missing, to: directory.appendingPathComponent("none").path)
        #expect(notFound.head.status.code == 404)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("none").path))
    }

    @Test func largeFileStreamsInConstantMemory() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.bin").path
        let size = 64 * 1024 * 1024
        // A sparse file: reading it costs page cache, not process memory.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
        let server = try fileServer(path)
        defer { server.stop() }
        let before = residentBytes()
        var received = 0
        let head = try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/data"),
                                         maxBodyBytes: Int.max) { _, piece in received += piece.count }
        let growth = residentBytes() - before
        #expect(head.status.code == 200)
        #expect(received == size)
        // Rough: the other suites run in parallel, but nothing close to the file's 64 MiB may stick.
        #expect(growth < 32 * 1024 * 1024, "resident memory grew by \(growth) bytes")
    }

    @Test func missingFileIsAnError() throws {
        let request = HTTPRequest(head: HTTPRequestHead(method: .get, target: "/", headers: ["Host": "t"]),
                                  target: try HTTPRequestTarget("/"))
        #expect(throws: TransportError.self) { _ = try HTTPResponse.file(at: "/nonexistent/verbund", for: request) }
        #expect(throws: TransportError.self) { _ = try HTTPResponse.file(at: "/tmp", for: request) }
    }

    /// VmRSS of this process.
    private func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}
