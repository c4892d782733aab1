import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTrust
@testable import VerbundTransport

/// A server context with `clientCertificate: .requestedButOptional`: a client may omit its certificate,
/// but one it presents is verified exactly as under `.required` (chain, CRL) and a bad one still fails.
@Suite(.offCooperativePool) struct TLSOptionalClientCertificateTests {
    /// What one `acceptStream` on its own thread produced: the identity (nil for an anonymous client) and
    /// whether the stream carried a peer certificate, or the error text.
    private final class OneConnection: Sendable {
        struct Accepted: Sendable {
            let identity: String?
            let peerSubject: String?
        }

        private let outcome = Mutex<Result<Accepted, TransportError>?>(nil)
        private let done = DispatchSemaphore(value: 0)

        init(_ acceptor: TLSAcceptor<String>) {
            Thread { [self] in
                let result: Result<Accepted, TransportError>
                do {
                    let (stream, identity) = try acceptor.acceptStream(handshakeTimeout: .seconds(5))
                    stream.readTimeout = .seconds(5)
                    _ = try TLSTestServer.helloHTTP(stream)
                    stream.close()
                    result = .success(Accepted(identity: identity, peerSubject: stream.peerCertificate?.subject))
                } catch let error as TransportError {
                    result = .failure(error)
                } catch {
                    result = .failure(.tls("unexpected error \(error)"))
                }
                outcome.withLock { $0 = result }
                acceptor.close()
                done.signal()
            }.start()
        }

        func wait() -> Result<Accepted, TransportError>? {
            guard done.wait(timeout: .now() + 10) == .success else { return nil }
            done.signal()
            return outcome.withLock { $0 }
        }

        func failure() -> String {
            switch wait() {
            case .failure(let error)?: return error.description
            case .success(let accepted)?: return "no failure: accepted \(accepted.identity ?? "an anonymous client")"
            case nil: return "the server did not finish"
            }
        }
    }

    private func acceptor(_ pki: TLSTestPKI, _ policy: TLSConfiguration.ClientCertificate,
                          crls: [CertificateRevocationList] = []) throws -> TLSAcceptor<String> {
        let context = try pki.serverContext(try pki.issue("erfurt", uri: "urn:verbund:test:erfurt"), crls: crls) {
            $0.clientCertificate = policy
        }
        return try TLSAcceptor(host: "127.0.0.1", port: 0, contexts: TLSContextSlot(context),
                               identityCheck: .participantID(prefix: "urn:verbund:test:"))
    }

    private func curl(_ pki: TLSTestPKI, port: UInt16, client: TLSTestPKI.Leaf? = nil) throws -> TLSCommand.Result {
        let certificate = client.map { ["--cert", $0.certificatePath, "--key", $0.keyPath] } ?? []
        return try TLSCommand.run("/usr/bin/curl", ["--silent", "--show-error", "--max-time", "10"] + certificate
            + ["--cacert", pki.rootPath, "https://127.0.0.1:\(port)/"], in: pki.directory)
    }

    private func connect(_ context: TLSContext, port: UInt16) throws -> TLSStream {
        let socket = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        return try TLSStream.connect(socket: socket, context: context, serverName: "127.0.0.1",
                                     handshakeTimeout: .seconds(5), readTimeout: .seconds(5), writeTimeout: .seconds(5))
    }

    @Test func policyDefaultsToRequiredAndClientsIgnoreIt() throws {
        let pki = try TLSTestPKI()
        let leaf = try pki.issue("erfurt")
        #expect(TLSConfiguration.server(certificateChain: [leaf.certificate], privateKey: leaf.key,
                                        trustRoots: [pki.root]).clientCertificate == .required)
        #expect(try pki.serverContext(leaf).clientCertificate == .required)
        #expect(try pki.serverContext(leaf) { $0.clientCertificate = .requestedButOptional }.clientCertificate
                == .requestedButOptional)
        // A client always requires the server's certificate, whatever the configuration says.
        #expect(try pki.clientContext(leaf) { $0.clientCertificate = .requestedButOptional }.clientCertificate == .required)
    }

    @Test func clientWithoutCertificateCompletesTheHandshakeWithoutPeer() throws {
        let pki = try TLSTestPKI()
        let acceptor = try acceptor(pki, .requestedButOptional)
        let server = OneConnection(acceptor)
        let result = try curl(pki, port: acceptor.localPort)
        #expect(result.status == 0 && result.output == "hello", "\(result.output)")
        let accepted = try #require(try server.wait()?.get())
        #expect(accepted.identity == nil)
        #expect(accepted.peerSubject == nil)
    }

    @Test func identifyingAnAnonymousStreamIsRefused() throws {
        let pki = try TLSTestPKI()
        let context = try pki.serverContext(try pki.issue("erfurt")) { $0.clientCertificate = .requestedButOptional }
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = Thread { [port = listener.localPort, root = pki.rootPath, directory = pki.directory] in
            _ = try? TLSCommand.run("/usr/bin/curl", ["--silent", "--max-time", "5", "--cacert", root,
                                                       "https://127.0.0.1:\(port)/"], in: directory)
        }
        client.start()
        let stream = try TLSStream.accept(socket: try listener.accept(), context: context, handshakeTimeout: .seconds(5))
        #expect(stream.peerCertificate == nil)
        let error = #expect(throws: TransportError.self) {
            try stream.identify(with: .participantID(prefix: "urn:verbund:test:"))
        }
        guard case .peerRefused(let reason)? = error else {
            Issue.record("expected peerRefused, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("presented no certificate"), "\(reason)")
    }

    @Test func clientWithCertificateIsStillIdentified() throws {
        let pki = try TLSTestPKI()
        let acceptor = try acceptor(pki, .requestedButOptional, crls: [try pki.crl()])
        let server = OneConnection(acceptor)
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let result = try curl(pki, port: acceptor.localPort, client: jena)
        #expect(result.status == 0 && result.output == "hello", "\(result.output)")
        let accepted = try #require(try server.wait()?.get())
        #expect(accepted.identity == "urn:verbund:test:jena")
        #expect(accepted.peerSubject == "O=Verbund Test,CN=jena")
    }

    @Test func certificateFromAnotherCAIsStillRefused() throws {
        let pki = try TLSTestPKI()
        let foreign = try TLSTestPKI(name: "Foreign Root")
        let acceptor = try acceptor(pki, .requestedButOptional)
        let server = OneConnection(acceptor)
        let intruder = try foreign.issue("intruder", uri: "urn:verbund:test:jena")
        let client = try connect(try foreign.clientContext(intruder, trusting: [pki.root]), port: acceptor.localPort)
        let error = #expect(throws: TransportError.self) {
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try client.receiveAll()
        }
        #expect(error?.description.contains("alert unknown ca") == true, "\(String(describing: error))")
        #expect(server.failure().contains("unable to get local issuer certificate"), "\(server.failure())")
    }

    @Test func revokedCertificateIsStillRefused() throws {
        let pki = try TLSTestPKI()
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        try pki.revoke(jena)
        let acceptor = try acceptor(pki, .requestedButOptional, crls: [try pki.crl()])
        let server = OneConnection(acceptor)
        let result = try curl(pki, port: acceptor.localPort, client: jena)
        #expect(result.status != 0)
        #expect(!result.output.contains("hello"), "\(result.output)")
        #expect(server.failure().contains("certificate revoked"), "\(server.failure())")
        #expect(server.failure().contains("CN=jena"), "\(server.failure())")
    }

    @Test func requiredModeStillRefusesAClientWithoutCertificate() throws {
        let pki = try TLSTestPKI()
        let acceptor = try acceptor(pki, .required)
        let server = OneConnection(acceptor)
        let result = try curl(pki, port: acceptor.localPort)
        #expect(result.status != 0)
        #expect(!result.output.contains("hello"), "\(result.output)")
        #expect(server.failure().contains("peer did not return a certificate"), "\(server.failure())")
    }

    @Test func httpHandlersSeeNoPeerForAnAnonymousClient() throws {
        let pki = try TLSTestPKI()
        var router = Router()
        router.get("/whoami") { request, _ in .text("hello \(request.peer as? String ?? "anonymous")") }
        let server = HTTPServer(acceptor: try acceptor(pki, .requestedButOptional), router: router)
        try server.start()
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.localPort)/whoami"
        let anonymous = try TLSCommand.run("/usr/bin/curl", [
            "--silent", "--show-error", "--max-time", "10", "--cacert", pki.rootPath, url,
        ], in: pki.directory)
        #expect(anonymous.status == 0 && anonymous.output == "hello anonymous", "\(anonymous.output)")
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let member = try TLSCommand.run("/usr/bin/curl", [
            "--silent", "--show-error", "--max-time", "10",
            "--cert", jena.certificatePath, "--key", jena.keyPath, "--cacert", pki.rootPath, url,
        ], in: pki.directory)
        #expect(member.status == 0 && member.output == "hello urn:verbund:test:jena", "\(member.output)")
        // A certificate without a participant URI is refused by the identity check, not treated as anonymous.
        let stranger = try pki.issue("stranger")
        let refused = try TLSCommand.run("/usr/bin/curl", [
            "--silent", "--show-error", "--max-time", "10",
            "--cert", stranger.certificatePath, "--key", stranger.keyPath, "--cacert", pki.rootPath, url,
        ], in: pki.directory)
        #expect(!refused.output.contains("hello"), "\(refused.output)")
    }
}
