import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundTrust
@testable import VerbundTransport

@Suite(.offCooperativePool) struct TLSAcceptorTests {
    /// Runs `acceptor` for `connections` connections on one thread each, echoing lines until EOF.
    /// Returns the outcomes (identity or error text) in completion order once all are done.
    private final class EchoService: Sendable {
        let outcomes = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)

        init(_ acceptor: TLSAcceptor<String>, connections: Int) {
            Thread { [self] in
                for _ in 0..<connections {
                    guard let connection = try? acceptor.accept() else { break }
                    Thread { [self] in
                        do {
                            let established = try connection.establish(handshakeTimeout: .seconds(5))
                            let stream = established.stream
                            let identity = established.peer as? String ?? "no identity"
                            while true {
                                let line = try TLSTestServer.readUntil(stream, terminator: Array("\n".utf8))
                                if line.isEmpty { break }
                                try (Array("\(identity):".utf8) + line).withUnsafeBytes { try stream.write($0) }
                            }
                            stream.close()
                            outcomes.withLock { $0.append(identity) }
                        } catch {
                            outcomes.withLock { $0.append("\(error)") }
                        }
                        done.signal()
                    }.start()
                }
                acceptor.close()
            }.start()
        }

        func wait(for count: Int) -> [String] {
            for _ in 0..<count { _ = done.wait(timeout: .now() + 10) }
            return outcomes.withLock { $0 }
        }
    }

    private func roundTrip(_ stream: TLSStream, _ line: String) throws -> String {
        try stream.send(line + "\n")
        return String(decoding: try TLSTestServer.readUntil(stream, terminator: Array("\n".utf8)), as: UTF8.self)
    }

    @Test func connectorAndAcceptorIdentifyEachOther() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt", uri: "urn:verbund:test:erfurt")
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let acceptor = try TLSAcceptor(host: "127.0.0.1", port: 0,
                                       contexts: TLSContextSlot(try pki.serverContext(erfurt)),
                                       identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let service = EchoService(acceptor, connections: 2)
        let connector = TLSConnector(contexts: TLSContextSlot(try pki.clientContext(jena)),
                                     identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let (stream, serverIdentity) = try connector.connect(host: "127.0.0.1", port: acceptor.localPort)
        #expect(serverIdentity == "urn:verbund:test:erfurt")
        #expect(try roundTrip(stream, "one") == "urn:verbund:test:jena:one\n")
        #expect(try roundTrip(stream, "two") == "urn:verbund:test:jena:two\n")
        stream.close()
        let viaFactory = try connector.httpConnect("localhost", acceptor.localPort, .seconds(2))
        try viaFactory.send("three\n")
        #expect(String(decoding: try TLSTestServer.readUntil(viaFactory, terminator: Array("\n".utf8)), as: UTF8.self)
                == "urn:verbund:test:jena:three\n")
        viaFactory.close()
        #expect(service.wait(for: 2) == ["urn:verbund:test:jena", "urn:verbund:test:jena"])
    }

    @Test func reloadedContextRefusesARevokedMemberWhileOpenStreamsContinue() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt", uri: "urn:verbund:test:erfurt")
        let jena = try pki.issue("jena", uri: "urn:verbund:test:jena")
        let slot = TLSContextSlot(try pki.serverContext(erfurt, crls: [try pki.crl()]))
        let acceptor = try TLSAcceptor(host: "127.0.0.1", port: 0, contexts: slot,
                                       identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let service = EchoService(acceptor, connections: 2)
        let connector = TLSConnector(contexts: TLSContextSlot(try pki.clientContext(jena)),
                                     identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let (open, _) = try connector.connect(host: "127.0.0.1", port: acceptor.localPort)
        #expect(try roundTrip(open, "before") == "urn:verbund:test:jena:before\n")

        try pki.revoke(jena)
        try slot.replace(with: try pki.serverContext(erfurt, crls: [try pki.crl()]))

        let (refused, _) = try connector.connect(host: "127.0.0.1", port: acceptor.localPort)
        #expect(throws: TransportError.self) { _ = try roundTrip(refused, "after") }
        #expect(try roundTrip(open, "still") == "urn:verbund:test:jena:still\n")
        open.close()
        let outcomes = service.wait(for: 2)
        #expect(outcomes.contains { $0.contains("certificate revoked") }, "\(outcomes)")
        #expect(outcomes.contains("urn:verbund:test:jena"), "\(outcomes)")
    }

    @Test func connectorRefusesAnUnexpectedServer() throws {
        let pki = try TLSTestPKI()
        let acceptor = try TLSAcceptor(host: "127.0.0.1", port: 0,
                                       contexts: TLSContextSlot(try pki.serverContext(try pki.issue("erfurt", uri: "urn:verbund:test:erfurt"))),
                                       identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let service = EchoService(acceptor, connections: 1)
        let expectWeimar = PeerIdentityCheck<String> { peer in
            guard peer.uris.contains("urn:verbund:test:weimar") else {
                throw PeerRefusal("expected urn:verbund:test:weimar, the server is \(peer.uris)")
            }
            return "weimar"
        }
        let connector = TLSConnector(contexts: TLSContextSlot(try pki.clientContext(try pki.issue("jena", uri: "urn:verbund:test:jena"))),
                                     identityCheck: expectWeimar)
        let error = #expect(throws: TransportError.self) { _ = try connector.connect(host: "127.0.0.1", port: acceptor.localPort) }
        guard case .peerRefused(let reason)? = error else {
            Issue.record("expected peerRefused, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("expected urn:verbund:test:weimar"))
        _ = service.wait(for: 1)
    }

    @Test func slotKeepsItsRole() throws {
        let pki = try TLSTestPKI()
        let erfurt = try pki.issue("erfurt")
        let slot = TLSContextSlot(try pki.serverContext(erfurt))
        #expect(throws: TLSConfigurationError.roleMismatch) { try slot.replace(with: try pki.clientContext(erfurt)) }
        let replacement = try pki.serverContext(erfurt)
        try slot.replace(with: replacement)
        #expect(slot.current === replacement)
    }
}
