import Foundation
import Testing
import VerbundTestSupport
import VerbundTrust
@testable import VerbundTransport

@Suite(.offCooperativePool) struct TLSHandshakeTests {
    /// Connects a client with `context` to `server` and runs the client's identity check on the server.
    private func connect(_ context: TLSContext, to server: TLSTestServer, serverName: String? = "127.0.0.1") throws -> TLSStream {
        let socket = try Socket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(2))
        return try TLSStream.connect(socket: socket, context: context, serverName: serverName,
                                     handshakeTimeout: .seconds(5), readTimeout: .seconds(5), writeTimeout: .seconds(5))
    }

    @Test func mutualHandshakeExchangesDataBothWays() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt", uri: "urn:verbund:test:erfurt")
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let server = try TLSTestServer(context: try pki.serverContext(erfurt, crls: [try pki.crl()]))
        let client = try connect(try pki.clientContext(jena), to: server)
        let serverIdentity = try client.identify(with: .participantID(prefix: "urn:verbund:test:"))
        #expect(serverIdentity == "urn:verbund:test:erfurt")
        #expect(client.peerCertificate?.sha256Fingerprint == erfurt.certificate.fingerprintSHA256)
        #expect(client.peerCertificate?.verifiedChain.last == pki.root)
        #expect(client.protocolVersion == "TLSv1.3")
        try client.send("ping from jena\n")
        #expect(try client.receiveAll() == "echo:ping from jena\n")
        client.close()
        let served = try #require(try server.wait()?.get())
        #expect(served.identity == "urn:verbund:test:jena")
        #expect(served.result == "ping from jena\n")
        #expect(served.protocolVersion == "TLSv1.3")
    }

    @Test func tls12FloorNegotiatesECDHEWithAEAD() throws {
        let pki = try TLSTestPKI()
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")),
                                       check: PeerIdentityCheck { $0.subject })
        let client = try connect(try pki.clientContext(try pki.issue("jena")) { $0.maximumVersion = .tls12 }, to: server)
        #expect(client.protocolVersion == "TLSv1.2")
        #expect(client.cipherSuite.hasPrefix("ECDHE-ECDSA-") && client.cipherSuite.contains("GCM"))
        try client.send("x\n")
        #expect(try client.receiveAll() == "echo:x\n")
        let served = try #require(try server.wait()?.get())
        #expect(served.identity == "O=Verbund Test,CN=jena")  // RFC 2253 §2.1: last RDN first
    }

    @Test func clientCertificateFromAnotherCAIsRefused() throws {
        let pki = try TLSTestPKI()
        let foreign = try TLSTestPKI(name: "Foreign Root")
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")))
        let intruder = try foreign.issue("intruder", uri: "urn:verbund:test:jena")
        // The client trusts our root (so its own check of the server passes) but holds a foreign certificate.
        let client = try connect(try foreign.clientContext(intruder, trusting: [pki.root]), to: server)
        // TLS 1.3: the client learns of the refusal only when it reads (notes C3/C4).
        let error = #expect(throws: TransportError.self) {
            try client.send("hello\n")
            _ = try client.receiveAll()
        }
        #expect(error?.description.contains("alert unknown ca") == true, "\(String(describing: error))")
        #expect(server.failure().contains("unable to get local issuer certificate"), "\(server.failure())")
    }

    @Test func expiredClientCertificateIsRefused() throws {
        let pki = try TLSTestPKI()
        let context = try pki.serverContext(try pki.issue("erfurt", days: 3650)) {
            $0.verificationTime = Date().addingTimeInterval(10 * 86_400)
        }
        let server = try TLSTestServer(context: context)
        let client = try connect(try pki.clientContext(try pki.issue("jena", uri: "urn:verbund:test:jena", days: 1)), to: server)
        #expect(throws: TransportError.self) { _ = try client.receiveAll() }
        #expect(server.failure().contains("certificate has expired"), "\(server.failure())")
    }

    @Test func revokedClientCertificateIsRefusedWithTheCRL() throws {
        let pki = try TLSTestPKI()
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        try pki.revoke(jena)
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt"), crls: [try pki.crl()]))
        let client = try connect(try pki.clientContext(jena), to: server)
        let error = #expect(throws: TransportError.self) { _ = try client.receiveAll() }
        #expect(error?.description.contains("certificate revoked") == true, "\(String(describing: error))")
        #expect(error?.description.contains("first reads") == true)
        #expect(server.failure().contains("certificate revoked"), "\(server.failure())")
        // The error names whose certificate was refused, for the operator.
        #expect(server.failure().contains("refused peer certificate: O=Verbund Test,CN=jena"), "\(server.failure())")
        #expect(server.failure().contains("URI urn:verbund:test:jena"), "\(server.failure())")
    }

    @Test func serverCertificateFromAnotherCAIsRefusedByTheClient() throws {
        let pki = try TLSTestPKI()
        let foreign = try TLSTestPKI(name: "Foreign Root")
        let server = try TLSTestServer(context: try foreign.serverContext(try foreign.issue("impostor")))
        let error = #expect(throws: TransportError.self) {
            _ = try connect(try pki.clientContext(try pki.issue("jena")), to: server)
        }
        #expect(error?.description.contains("unable to get local issuer certificate") == true,
                "\(String(describing: error))")
        #expect(error?.description.contains("CN=impostor") == true, "\(String(describing: error))")
        #expect(server.failure().contains("alert unknown ca"), "\(server.failure())")
    }

    @Test func refusingIdentityCheckClosesWithPeerRefused() throws {
        let pki = try TLSTestPKI()
        let suspended = PeerIdentityCheck<String> { peer in
            throw PeerRefusal("member \(peer.uris.first ?? "?") is suspended")
        }
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")), check: suspended)
        let client = try connect(try pki.clientContext(try pki.issue("jena", uri: "urn:verbund:test:jena")), to: server)
        #expect(try client.receiveAll() == "")  // close_notify, no data
        guard case .failure(.peerRefused(let reason))? = server.wait() else {
            Issue.record("expected peerRefused, got \(String(describing: server.wait()))")
            return
        }
        #expect(reason.contains("member urn:verbund:test:jena is suspended"))
    }

    @Test func participantCheckRefusesACertificateWithoutParticipantURI() throws {
        let pki = try TLSTestPKI()
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")))
        let client = try connect(try pki.clientContext(try pki.issue("anonymous")), to: server)
        client.close()
        guard case .failure(.peerRefused(let reason))? = server.wait() else {
            Issue.record("expected peerRefused")
            return
        }
        #expect(reason.contains("no subjectAltName URI starting with urn:verbund:test:"))
    }

    @Test func handshakeTimesOutAgainstASilentPeer() throws {
        let pki = try TLSTestPKI()
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")),
                                       handshakeTimeout: .milliseconds(300))
        let started = ContinuousClock.now
        let silent = try Socket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(2))
        guard case .failure(.timedOut)? = server.wait() else {
            Issue.record("expected timedOut, got \(server.failure())")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        silent.close()
    }

    @Test func clientHandshakeTimesOutAgainstASilentServer() throws {
        let pki = try TLSTestPKI()
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let socket = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        let started = ContinuousClock.now
        #expect(throws: TransportError.timedOut("TLS handshake with 127.0.0.1:\(listener.localPort) did not finish within the deadline")) {
            _ = try TLSStream.connect(socket: socket, context: try pki.clientContext(try pki.issue("jena")),
                                      serverName: nil, handshakeTimeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func hostnameVerificationIsOptIn() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt")
        let strict = try pki.clientContext(try pki.issue("jena")) { $0.verifiesServerHostname = true }
        let wrong = try TLSTestServer(context: try pki.serverContext(erfurt), check: .init { $0.subject })
        let error = #expect(throws: TransportError.self) { _ = try connect(strict, to: wrong, serverName: "node.example") }
        #expect(error?.description.contains("hostname mismatch") == true, "\(String(describing: error))")
        _ = wrong.wait()
        let right = try TLSTestServer(context: try pki.serverContext(erfurt), check: .init { $0.subject })
        let client = try connect(strict, to: right, serverName: "localhost")
        try client.send("ok\n")
        #expect(try client.receiveAll() == "echo:ok\n")
    }
}
