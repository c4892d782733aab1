import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// A hostile member (its real key and certificate) that trickles its answers or sends endless ones: a connector's
/// calls to it end at their total deadline and body cap (issue 9: a registry trickled one byte every 20 s held the
/// federation sync for minutes).
@Suite(.offCooperativePool) struct OutboundBoundsTests {
    /// Starts a fake "c" on c's DSP port with c's identity and the given routes.
    private func hostileMember(_ federation: FederationFixture, routes: (inout Router) -> Void) throws -> HTTPServer {
        let (key, chain) = try federation.identity("c")
        let root = try Certificate(pem: String(contentsOfFile: federation.adminFolder.rootCertificate, encoding: .utf8))
        let tls = try TLSContext(configuration: .server(certificateChain: chain, privateKey: key, trustRoots: [root]))
        var router = Router()
        routes(&router)
        let acceptor = try TLSAcceptor(host: "127.0.0.1", port: try #require(federation.members["c"]).dspPort,
                                       contexts: TLSContextSlot(tls), identityCheck: .verifiedChain)
        let server = HTTPServer(acceptor: acceptor, router: router)
        try server.start()
        return server
    }

    @Test func aTricklingMemberIsCutAtTheCallsDeadlineAndAnEndlessOneAtTheCap() throws {
        let federation = try FederationFixture(members: ["a", "c"])
        let a = try NegotiationTestbed.retryingBind { try federation.start("a") }
        defer { a.stop() }
        let fake = try hostileMember(federation) { router in
            router.get("/dsp/federation/registry") { _, _ in
                // One byte every 100 ms: never silent long enough for a per-read timeout.
                HTTPResponse(status: .ok, headers: ["Content-Type": "application/jose"], body: .chunks { sink in
                    for _ in 0..<600 {
                        try sink.write([0x65])
                        Thread.sleep(forTimeInterval: 0.1)
                    }
                })
            }
            router.post("/dsp/catalog/request") { _, _ in
                HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: .chunks { sink in
                    let block = [UInt8](repeating: 0x20, count: 64 * 1024)
                    for _ in 0..<4096 { try sink.write(block) }  // 256 MiB, never read whole
                })
            }
        }
        defer { fake.stop(grace: .zero) }

        let started = ContinuousClock.now
        do {
            _ = try a.context.peerClient.send(toMember: "c", method: .get, path: "/federation/registry", deadline: .seconds(1))
            Issue.record("a trickled registry completed")
        } catch {
            guard case let .exchange(underlying) = error else { Issue.record("unexpected \(error)"); return }
            #expect(underlying.isTimeout, "\(underlying)")
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(3))

        // Without a per-call cap the client's default (16 MiB) holds.
        do {
            _ = try a.context.peerClient.send(toMember: "c", method: .post, path: "/catalog/request", body: Array("{}".utf8))
            Issue.record("an endless catalog page was read whole")
        } catch {
            guard case .exchange(.invalidResponse) = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("limit") || error.description.contains("exceeds"), "\(error)")
        }
    }
}
