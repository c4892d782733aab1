import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundConnector

/// `publicTLS`: the public listener speaks HTTPS with the server certificate the city gives (here one `openssl req`
/// makes), asks browsers for no client certificate, and refuses to start with a key it cannot read.
@Suite(.offCooperativePool) struct PublicTLSTests {
    static func makeCertificate(in folder: TemporaryFolder) throws -> (certificate: String, key: String) {
        let certificate = folder.file("public.pem"), key = folder.file("public.key")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                             "-keyout", key, "-out", certificate, "-subj", "/CN=transparenz.test",
                             "-addext", "subjectAltName=IP:127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        chmod(key, 0o600)
        return (certificate, key)
    }

    @Test func thePageIsServedOverHTTPSWithoutAskingForAClientCertificate() throws {
        let fixture = try FederationFixture(members: ["jena"])
        let folder = TemporaryFolder("verbund-public-tls")
        let files = try Self.makeCertificate(in: folder)
        let running = try NegotiationTestbed.retryingBind {
            try fixture.start("jena", modules: [CatalogModule(crawls: false)], adjust: {
                $0.publicListen = "127.0.0.1:0"
                $0.publicTLS = .init(certificate: files.certificate, key: files.key)
            })
        }
        defer { running.stop() }
        let port = try #require(running.connector.publicPort)
        let script = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[3])
            with urllib.request.urlopen(f"https://127.0.0.1:{sys.argv[2]}/?lang=en", context=context, timeout=10) as answer:
                body = answer.read().decode()
                print(answer.status, "Shared datasets" in body, answer.headers["Content-Security-Policy"].startswith("default-src 'self'"))
            # A client that presents no certificate and gets no CertificateRequest: the handshake's client-CA list is empty.
            with socket_module.create_connection(("127.0.0.1", int(sys.argv[2]))) as raw:
                with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    print("version", tls.version())
            """.replacingOccurrences(of: "socket_module", with: "__import__('socket')")
        let result = try PythonScript.run(script, files: [:], arguments: [String(port), files.certificate], timeout: 60)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("200 True True"), "\(result.output)")
        #expect(result.output.contains("version TLSv1.3") || result.output.contains("version TLSv1.2"), "\(result.output)")

        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        probe.arguments = ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", files.certificate]
        let output = Pipe()
        probe.standardOutput = output
        probe.standardError = output
        probe.standardInput = Pipe()
        try probe.run()
        (probe.standardInput as? Pipe)?.fileHandleForWriting.closeFile()
        probe.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("Verify return code: 0"), "\(text)")
        #expect(!text.contains("Acceptable client certificate CA names") && !text.contains("Requested Signature Algorithms"), "\(text)")
    }

    @Test func aMissingKeyStopsTheStartNamingTheSetting() throws {
        let fixture = try FederationFixture(members: ["jena"])
        let folder = TemporaryFolder("verbund-public-tls")
        #expect {
            _ = try fixture.start("jena", adjust: {
                $0.publicListen = "127.0.0.1:0"
                $0.publicTLS = .init(certificate: folder.file("none.pem"), key: folder.file("none.key"))
            })
        } throws: { error in
            "\(error)".contains("publicTLS")
        }
    }
}
