import Foundation
import Testing
import VerbundTestSupport
import VerbundTrust
@testable import VerbundTransport

/// The same handshakes with certificates from VerbundTrust's own `CertificateAuthority` (in process,
/// no command line tools): what a federation admitted with `verbund federation admit` looks like.
@Suite(.offCooperativePool) struct TLSFederationCATests {
    private struct Federation {
        let ca: CertificateAuthority

        init() throws {
            ca = try CertificateAuthority.selfSignedRoot(name: "Federation Test Root", organization: "Verbund Test",
                                                         key: try PrivateKey.generateP256(), days: 365)
        }

        func member(_ name: String, now: Date = Date(), days: Int = 30) throws -> (Certificate, PrivateKey) {
            let key = try PrivateKey.generateP256()
            let csr = try CertificateSigningRequest(commonName: name, key: key)
            let certificate = try ca.issue(csr: csr, subjectAltNameURIs: ["urn:verbund:test:\(name)"],
                                           dnsNames: ["localhost"], days: days, now: now)
            return (certificate, key)
        }

        func context(_ role: TLSConfiguration.Role, _ member: (Certificate, PrivateKey),
                     crl: CertificateRevocationList? = nil) throws -> TLSContext {
            try TLSContext(configuration: TLSConfiguration(
                role: role, certificateChain: [member.0], privateKey: member.1, trustRoots: [ca.certificate],
                revocationLists: crl.map { [$0] } ?? [], requiresRevocationList: crl != nil))
        }

        func crl(revoking revoked: [Certificate]) throws -> CertificateRevocationList {
            try ca.revocationList(revoked: revoked.map { RevokedCertificate(serialNumber: $0.serialNumber, revocationDate: Date(),
                                                                           reason: .keyCompromise) },
                                  number: 1, nextUpdate: Date().addingTimeInterval(86_400))
        }
    }

    /// Runs a handshake plus one echoed line; returns the client's error (nil on success) and the server's outcome.
    private func exchange(server: TLSContext, client: TLSContext) throws -> (client: TransportError?, server: TLSTestServer) {
        let tlsServer = try TLSTestServer(context: server)
        do {
            let socket = try Socket.connect(host: "127.0.0.1", port: tlsServer.port, timeout: .seconds(2))
            let stream = try TLSStream.connect(socket: socket, context: client, serverName: "localhost",
                                               handshakeTimeout: .seconds(5))
            _ = try stream.identify(with: .participantID(prefix: "urn:verbund:test:"))
            try stream.send("hi\n")
            guard try stream.receiveAll() == "echo:hi\n" else { return (.tls("wrong echo"), tlsServer) }
            return (nil, tlsServer)
        } catch let error as TransportError {
            return (error, tlsServer)
        }
    }

    @Test func admittedMembersTalk() throws {
        let federation = try Federation()
        let crl = try federation.crl(revoking: [])
        let result = try exchange(server: try federation.context(.server, try federation.member("erfurt"), crl: crl),
                                  client: try federation.context(.client, try federation.member("jena"), crl: crl))
        #expect(result.client == nil)
        #expect(try result.server.wait()?.get().identity == "urn:verbund:test:jena")
    }

    @Test func expiredMemberCertificateIsRefused() throws {
        let federation = try Federation()
        let expired = try federation.member("jena", now: Date().addingTimeInterval(-10 * 86_400), days: 1)
        let result = try exchange(server: try federation.context(.server, try federation.member("erfurt")),
                                  client: try federation.context(.client, expired))
        #expect(result.client != nil)
        #expect(result.server.failure().contains("certificate has expired"), "\(result.server.failure())")
    }

    @Test func notYetValidServerCertificateIsRefusedByTheClient() throws {
        let federation = try Federation()
        let future = try federation.member("erfurt", now: Date().addingTimeInterval(10 * 86_400))
        let result = try exchange(server: try federation.context(.server, future),
                                  client: try federation.context(.client, try federation.member("jena")))
        #expect(result.client?.description.contains("certificate is not yet valid") == true,
                "\(String(describing: result.client))")
    }

    @Test func revokedMemberIsRefusedBothWays() throws {
        let federation = try Federation()
        let erfurt = try federation.member("erfurt")
        let jena = try federation.member("jena")
        let crl = try federation.crl(revoking: [erfurt.0, jena.0])
        // Server side: the revoked client is refused during the server's handshake.
        let asClient = try exchange(server: try federation.context(.server, try federation.member("weimar"), crl: crl),
                                    client: try federation.context(.client, jena))
        #expect(asClient.client?.description.contains("certificate revoked") == true)
        #expect(asClient.server.failure().contains("certificate revoked"))
        // Client side: a revoked server is refused by a client holding the CRL.
        let asServer = try exchange(server: try federation.context(.server, erfurt),
                                    client: try federation.context(.client, try federation.member("gera"), crl: crl))
        #expect(asServer.client?.description.contains("certificate revoked") == true,
                "\(String(describing: asServer.client))")
    }
}
