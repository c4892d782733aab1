import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTrust
@testable import VerbundTransport

/// HTTP/1.1 over mutually authenticated TLS: the HTTP server behind a `TLSAcceptor`, the HTTP
/// client through a `TLSConnector`, and curl against the same server.
@Suite(.offCooperativePool) struct TLSHTTPTests {
    private func startTLSServer(_ pki: TLSTestPKI, crls: [CertificateRevocationList] = []) throws -> HTTPServer {
        var router = Router()
        router.get("/whoami") { request, _ in .text("hello \(request.peer as? String ?? "nobody")") }
        let acceptor = try TLSAcceptor(host: "127.0.0.1", port: 0,
                                       contexts: TLSContextSlot(try pki.serverContext(
                                           try pki.issue("erfurt", uri: "urn:verbund:test:erfurt"), crls: crls)),
                                       identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let server = HTTPServer(acceptor: acceptor, router: router)
        try server.start()
        return server
    }

    private func client(_ pki: TLSTestPKI, _ leaf: TLSTestPKI.Leaf) throws -> HTTPClient {
        let connector = TLSConnector(contexts: TLSContextSlot(try pki.clientContext(leaf)),
                                     identityCheck: .participantID(prefix: "urn:verbund:test:"))
        return HTTPClient(connect: connector.httpConnect)
    }

    @Test func handlerSeesTheClientsParticipantIDAndTheConnectionIsReused() throws {
        let pki = try TLSTestPKI()
        let server = try startTLSServer(pki, crls: [try pki.crl()])
        defer { server.stop() }
        let client = try client(pki, try pki.issue("jena", uri: "urn:verbund:test:jena"))
        for _ in 0..<3 {
            let response = try client.send(HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/whoami"))
            #expect(response.status.code == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "hello urn:verbund:test:jena")
        }
        #expect(client.connectionsOpened == 1)
    }

    @Test func revokedClientGetsNoResponse() throws {
        let pki = try TLSTestPKI()
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        try pki.revoke(jena)
        let server = try startTLSServer(pki, crls: [try pki.crl()])
        defer { server.stop() }
        let error = #expect(throws: HTTPClientError.self) {
            _ = try client(pki, jena).send(HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/whoami"))
        }
        #expect(error?.description.contains("certificate revoked") == true, "\(String(describing: error))")
    }

    @Test func curlReachesTheHTTPServerOnlyWithACertificate() throws {
        let pki = try TLSTestPKI()
        let server = try startTLSServer(pki)
        defer { server.stop() }
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let url = "https://127.0.0.1:\(server.localPort)/whoami"
        let good = try TLSCommand.run("/usr/bin/curl", [
            "--silent", "--show-error", "--max-time", "10",
            "--cert", jena.certificatePath, "--key", jena.keyPath, "--cacert", pki.rootPath, url,
        ], in: pki.directory)
        #expect(good.status == 0 && good.output == "hello urn:verbund:test:jena", "\(good.output)")
        let bad = try TLSCommand.run("/usr/bin/curl", [
            "--silent", "--show-error", "--max-time", "10", "--cacert", pki.rootPath, url,
        ], in: pki.directory)
        #expect(bad.status != 0)
        #expect(!bad.output.contains("hello"), "\(bad.output)")
    }
}
