import Foundation
import Testing
import VerbundTestSupport
import VerbundTrust
@testable import VerbundTransport

/// Other TLS implementations against our server: the `openssl s_client` and `curl` binaries.
@Suite(.offCooperativePool) struct TLSInteropTests {
    private let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

    @Test func opensslClientWithCertificateGetsAnAnswer() throws {
        let pki = try TLSTestPKI()
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")), respond: TLSTestServer.helloHTTP)
        let result = try TLSCommand.run("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-cert", jena.certificatePath, "-key", jena.keyPath,
            "-CAfile", pki.rootPath, "-verify_return_error", "-ign_eof",
        ], in: pki.directory, input: request)
        #expect(result.output.contains("HTTP/1.1 200 OK") && result.output.contains("\r\n\r\nhello"), "\(result.output)")
        #expect(result.output.contains("Verify return code: 0 (ok)"))
        #expect(result.output.contains("Compression: NONE"))
        // Resumption is off: the server issues no TLS 1.3 session ticket.
        #expect(!result.output.contains("New Session Ticket"), "\(result.output)")
        let served = try #require(try server.wait()?.get())
        #expect(served.identity == "urn:verbund:test:jena")
        #expect(served.result == "GET / HTTP/1.1")
    }

    @Test func opensslClientWithoutCertificateIsRefused() throws {
        let pki = try TLSTestPKI()
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")), respond: TLSTestServer.helloHTTP)
        let result = try TLSCommand.run("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", pki.rootPath, "-ign_eof", "-quiet",
        ], in: pki.directory, input: request)
        #expect(!result.output.contains("hello"))
        #expect(result.output.contains("certificate required"), "\(result.output)")
        #expect(server.failure().contains("peer did not return a certificate"), "\(server.failure())")
    }

    @Test func tls11IsRefused() throws {
        let pki = try TLSTestPKI()
        let jena = try pki.issue("jena")
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")), respond: TLSTestServer.helloHTTP)
        // SECLEVEL=0 makes the client really offer TLS 1.1 (OpenSSL 3 refuses it locally otherwise).
        let result = try TLSCommand.run("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
            "-cert", jena.certificatePath, "-key", jena.keyPath, "-CAfile", pki.rootPath,
        ], in: pki.directory, input: request)
        #expect(result.status != 0)
        #expect(!result.output.contains("hello"))
        #expect(server.failure().contains("unsupported protocol"), "\(server.failure())")
    }

    @Test func curlWithClientCertificateGetsAnAnswer() throws {
        let pki = try TLSTestPKI()
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")), respond: TLSTestServer.helloHTTP)
        let result = try TLSCommand.run("/usr/bin/curl", [
            "--silent", "--show-error", "--max-time", "10", "--cert", jena.certificatePath, "--key", jena.keyPath,
            "--cacert", pki.rootPath, "https://127.0.0.1:\(server.port)/",
        ], in: pki.directory)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "hello")
        let served = try #require(try server.wait()?.get())
        #expect(served.identity == "urn:verbund:test:jena")
    }

    @Test func curlWithoutClientCertificateFails() throws {
        let pki = try TLSTestPKI()
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")), respond: TLSTestServer.helloHTTP)
        let result = try TLSCommand.run("/usr/bin/curl", [
            "--silent", "--show-error", "--max-time", "10", "--cacert", pki.rootPath, "https://127.0.0.1:\(server.port)/",
        ], in: pki.directory)
        #expect(result.status != 0)
        #expect(!result.output.contains("hello"), "\(result.output)")
        #expect(server.failure().contains("peer did not return a certificate"), "\(server.failure())")
    }
}
