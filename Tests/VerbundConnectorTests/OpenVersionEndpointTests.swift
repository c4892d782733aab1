import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// `openVersionEndpoint`: a client without a certificate may fetch `GET /.well-known/dspace-version` (DSP 2025-1: the
/// version endpoint is unauthenticated) and nothing else; members with certificates are admitted exactly as before.
@Suite(.offCooperativePool) struct OpenVersionEndpointTests {
    /// One HTTP exchange as a client without a certificate sees it.
    private struct Exchange {
        let status: Int32
        /// The response head (status line and fields), empty when no response arrived.
        let head: String
        let body: String
        let output: String

        var statusCode: Int? {
            head.split(separator: "\r\n").first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
        }

        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    /// `openssl s_client` without a client certificate, verifying the server's chain against the federation root
    /// only (`-verify_return_error`: a chain that does not verify ends the connection). Not curl: member certificates
    /// carry the participant URN and no DNS name, so curl's mandatory host name check cannot pass without `-k`.
    private func anonymous(_ federation: FederationFixture, port: UInt16, _ method: String, _ path: String,
                           body: String = "") throws -> Exchange {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if !body.isEmpty { request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        request += "\r\n" + body
        let result = try ChildProcess.run("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", federation.adminFolder.rootCertificate,
            "-verify_return_error", "-quiet", "-ign_eof",
        ], input: request, timeout: 15)
        let parts = result.output.components(separatedBy: "\r\n\r\n")
        let head = parts[0].hasPrefix("HTTP/1.1 ") ? parts[0] : ""
        return Exchange(status: result.status, head: head, body: head.isEmpty ? "" : parts.dropFirst().joined(separator: "\r\n\r\n"),
                        output: result.output + result.error)
    }

    @Test func aClientWithoutCertificateGetsTheVersionsAndNothingElse() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a", adjust: { $0.openVersionEndpoint = true })
        defer { a.stop() }
        let port = a.connector.dspPort

        let version = try anonymous(federation, port: port, "GET", "/.well-known/dspace-version")
        #expect(version.statusCode == 200, "\(version.output)")
        #expect(version.header("Content-Type")?.hasPrefix("application/json") == true, "\(version.head)")
        let versions = try JSONDecoder().decode(VersionResponse.self, from: Data(version.body.utf8))
        #expect(versions.protocolVersions == [.init(version: "2025-1", path: "/dsp", binding: "HTTPS")])
        // Federation headers are for members; an anonymous client learns nothing but the versions.
        #expect(version.header(FederationHeaders.registrySerial) == nil, "\(version.head)")
        try DSPValidation.validate([Array(version.body.utf8)])

        let catalog = try anonymous(federation, port: port, "POST", "/dsp/catalog/request",
            body: #"{"@context":["https://w3id.org/dspace/2025/1/context.jsonld"],"@type":"CatalogRequestMessage"}"#)
        #expect(catalog.statusCode == 404, "\(catalog.output)")
        #expect(catalog.header("Connection") == "close", "\(catalog.head)")
        #expect(!catalog.body.contains("Catalog\""))
        let refused = try #require(a.log.waitFor("dsp.request.refused") { $0["path"] as? String == "/dsp/catalog/request" },
                                   "logged: \(a.log.all)")
        #expect((refused["reason"] as? String)?.contains("no certificate") == true)
        #expect(refused["method"] as? String == "POST")

        // Other paths, other methods on the open path, and the federation routes members use: all closed.
        for (method, path) in [("GET", "/dsp/federation/registry"), ("POST", "/.well-known/dspace-version"),
                               ("GET", "/.well-known/dspace-version/x"), ("GET", "/no/such/thing")] {
            let answer = try anonymous(federation, port: port, method, path)
            #expect(answer.statusCode == 404, "\(method) \(path): \(answer.output)")
            #expect(answer.header("Connection") == "close", "\(method) \(path): \(answer.head)")
            #expect(answer.header(FederationHeaders.registrySerial) == nil)
        }
        #expect(a.log.waitFor("dsp.request.refused") { $0["path"] as? String == "/no/such/thing" } != nil)
        #expect(a.context.metrics.value(ConnectorMetrics.refusedPeers, labels: ["reason": "noCertificate"]) == 5)
    }

    @Test func membersAreAdmittedAsBeforeWithTheOption() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let a = try federation.start("a", modules: [ProbeModule()], adjust: { $0.openVersionEndpoint = true })
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }

        let version = try b.context.peerClient.send(toMemberRoot: "a", method: .get, path: "/.well-known/dspace-version")
        #expect(version.status.code == 200)
        #expect(version.headers[FederationHeaders.registrySerial] != nil)
        let whoami = try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami")
        #expect(try JSONDecoder().decode([String: String].self, from: Data(whoami.body))["member"] == "b")

        // A certificate of another CA is refused at the handshake; it does not fall back to "anonymous".
        let impostors = try FederationFixture(members: ["b"], federationId: "testfed")
        let (key, chain) = try impostors.identity("b")
        let root = try Certificate(pem: String(contentsOfFile: federation.adminFolder.rootCertificate, encoding: .utf8))
        let foreign = try TLSContext(configuration: .client(certificateChain: chain, privateKey: key, trustRoots: [root]))
        let client = HTTPClient(connect: TLSConnector(contexts: TLSContextSlot(foreign), identityCheck: .verifiedChain).httpConnect)
        #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: a.connector.dspPort,
                                              target: "/.well-known/dspace-version"))
        }
        #expect(a.log.waitFor("http.handshake.failed") != nil, "logged: \(a.log.all)")

        // A revoked member's certificate is refused at the handshake too, even for the open path.
        _ = try federation.admin().revoke(memberId: "c", reason: "left the federation")
        try federation.publish(to: ["a"])
        #expect(a.log.waitFor("federation.crl.accepted") != nil)
        #expect(a.log.waitFor("federation.registry.accepted") != nil)
        let (cKey, cChain) = try federation.identity("c")
        let revoked = try TLSContext(configuration: .client(certificateChain: cChain, privateKey: cKey, trustRoots: [root]))
        let revokedClient = HTTPClient(connect: TLSConnector(contexts: TLSContextSlot(revoked), identityCheck: .verifiedChain).httpConnect)
        #expect(throws: HTTPClientError.self) {
            try revokedClient.send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: a.connector.dspPort,
                                                     target: "/.well-known/dspace-version"))
        }
        let why = a.log.waitFor(anyOf: ["dsp.handshake.refused", "http.handshake.failed"]) { line in
            ((line["reason"] as? String ?? "") + (line["error"] as? String ?? "")).contains("revoked")
        }
        #expect(why != nil, "logged: \(a.log.all.suffix(10))")
        #expect(a.context.metrics.value(ConnectorMetrics.refusedPeers, labels: ["reason": "noCertificate"]) == nil)
    }

    @Test func withoutTheOptionNoHandshakeWithoutCertificate() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a")
        defer { a.stop() }
        let version = try anonymous(federation, port: a.connector.dspPort, "GET", "/.well-known/dspace-version")
        #expect(version.statusCode == nil, "\(version.output)")
        #expect(!version.output.contains("protocolVersions"))
        #expect(a.log.waitFor("http.handshake.failed") != nil, "logged: \(a.log.all)")
    }

    @Test func theOptionIsReadFromConnectorJSON() throws {
        let json = #"""
            {"memberId":"a","participantId":"urn:verbund:t:a","federation":{"root":"r","registry":"g","crl":"c"},
             "keyFile":"k","certificateFile":"p","listen":"127.0.0.1:0","endpoint":"https://x/dsp",
             "management":"127.0.0.1:0","dataDirectory":"d"}
            """#
        let plain = try JSONDecoder().decode(ConnectorConfiguration.self, from: Data(json.utf8))
        #expect(plain.openVersionEndpoint == nil && !plain.opensVersionEndpoint)
        let opened = try JSONDecoder().decode(ConnectorConfiguration.self, from: Data(
            json.replacingOccurrences(of: #""dataDirectory":"d""#, with: #""dataDirectory":"d","openVersionEndpoint":true"#).utf8))
        #expect(opened.opensVersionEndpoint)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ConnectorConfiguration.self, from: Data(
                json.replacingOccurrences(of: #""dataDirectory":"d""#, with: #""dataDirectory":"d","openVersionEndpoint":"yes""#).utf8))
        }
    }
}
