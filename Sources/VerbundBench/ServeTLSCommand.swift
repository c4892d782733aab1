import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VerbundTransport

/// `verbund-bench serve-tls` (hidden): the Verbund side of the transport benchmark, run as a child
/// process so its memory is measured alone.
///
/// Serves `GET /small` and `GET /file` over mutually authenticated TLS with Verbund's `HTTPServer`,
/// prints `PORT <n>` on stdout once it listens, and runs until its stdin reaches end of file (the
/// parent closes it, or dies), so it never outlives the benchmark.
struct ServeTLSCommand {
    static let valued: Set<String> = ["cert", "key", "root", "crl", "file", "small", "host", "port", "max-connections"]

    let certificateFile: String
    let keyFile: String
    let rootFile: String
    let revocationListFile: String?
    let bigFile: String
    let smallFile: String
    let host: String
    let port: UInt16
    let maxConnections: Int

    init(arguments: ArraySlice<String>) throws {
        let reader = try ArgumentReader(arguments, valued: Self.valued, flags: [])
        certificateFile = try reader.required("cert")
        keyFile = try reader.required("key")
        rootFile = try reader.required("root")
        revocationListFile = reader.string("crl")
        bigFile = try reader.required("file")
        smallFile = try reader.required("small")
        host = reader.string("host") ?? "127.0.0.1"
        port = UInt16(try reader.integer("port", default: 0, in: 0...65535))
        maxConnections = try reader.integer("max-connections", default: 512, in: 1...4096)
    }

    func run() throws {
        let configuration = try TLSConfiguration(role: .server, certificateChainFile: certificateFile, privateKeyFile: keyFile,
                                                 trustRootsFile: rootFile, revocationListFile: revocationListFile)
        var tls13Only = configuration
        tls13Only.minimumVersion = .tls13  // the comparison is about TLS 1.3 (s_server gets -tls1_3 too)
        let contexts = TLSContextSlot(try TLSContext(configuration: tls13Only))
        // The handshake and the identity check run on each connection's thread, as in the daemon.
        let acceptor = try TLSAcceptor(host: host, port: port, contexts: contexts,
                                       identityCheck: .participantID(prefix: BenchMaterial.participantPrefix))
        let server = HTTPServer(acceptor: acceptor, router: router(),
                                configuration: HTTPServerConfiguration(maxConnections: maxConnections,
                                                                       maxHandshakesPerSource: maxConnections))
        try server.start()
        FileHandle.standardOutput.write(Data("PORT \(server.localPort)\n".utf8))
        waitForEndOfInput()
        server.stop(grace: .seconds(1))
    }

    private func router() -> Router {
        var router = Router()
        let small = smallFile
        let big = bigFile
        router.get("/small") { request, _ in try HTTPResponse.file(at: small, for: request, contentType: "text/plain") }
        router.get("/file") { request, _ in try HTTPResponse.file(at: big, for: request) }
        return router
    }

    /// Blocks until stdin is closed: the parent's way (deliberate or by dying) to end this process.
    private func waitForEndOfInput() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n == 0 || (n < 0 && errno != EINTR) { return }
        }
    }
}
