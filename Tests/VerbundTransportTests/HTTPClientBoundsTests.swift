import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

/// Every outbound call has a total deadline and a response body cap (issue 9: a member trickling its registry answer
/// one byte every 20 s held the federation sync for minutes under a 30 s per-read timeout).
@Suite(.offCooperativePool) struct HTTPClientBoundsTests {
    private let trickledHead = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"

    @Test func aTricklingBodyFailsAtTheCallsDeadline() throws {
        // One byte every 100 ms keeps a 30 s progress timeout happy for 100 s.
        let port = try CannedResponseServer.trickle(head: trickledHead, body: Array(repeating: 0x61, count: 1000),
                                                    every: 0.1, for: 5)
        let started = ContinuousClock.now
        do {
            _ = try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/registry"), deadline: .milliseconds(800))
            Issue.record("a trickled body completed")
        } catch {
            #expect(error.isTimeout)
            #expect(error.description.contains("deadline"))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(700) && elapsed < .seconds(2))
    }

    @Test func theConfiguredDeadlineHoldsWithoutAPerCallValue() throws {
        let port = try CannedResponseServer.trickle(head: trickledHead, body: Array(repeating: 0x61, count: 1000),
                                                    every: 0.1, for: 5)
        let client = HTTPClient(configuration: HTTPClientConfiguration(exchangeDeadline: .milliseconds(600)))
        let started = ContinuousClock.now
        #expect(throws: HTTPClientError.self) {
            _ = try client.send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/"))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aStreamingCallPassesItsOwnDeadline() throws {
        let port = try CannedResponseServer.trickle(head: trickledHead, body: Array(repeating: 0x61, count: 1000),
                                                    every: 0.05, for: 5)
        var received = 0
        let started = ContinuousClock.now
        do {
            try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/data"), maxBodyBytes: 10_000,
                                  deadline: .milliseconds(700)) { _, piece in received += piece.count }
            Issue.record("a trickled download completed")
        } catch {
            #expect(error.isTimeout)
        }
        #expect(received > 0 && received < 1000)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func anEndlessChunkedBodyIsCutAtTheDefaultCap() throws {
        let chunk = Array("4000\r\n".utf8) + Array(repeating: 0x62, count: 0x4000) + Array("\r\n".utf8)
        let port = try CannedResponseServer.flood(head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunk: chunk, for: 5)
        var limits = HTTPClientConfiguration().limits
        limits.maxBodyBytes = 256 * 1024
        let client = HTTPClient(configuration: HTTPClientConfiguration(limits: limits))
        var received = 0
        do {
            try client.send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/catalog")) { _, piece in received += piece.count }
            Issue.record("an endless body completed")
        } catch {
            guard case .invalidResponse = error else { Issue.record("unexpected \(error)"); return }
        }
        #expect(received <= 256 * 1024)
    }

    @Test func aHugeAnnouncedBodyIsRefusedAtTheHead() throws {
        let port = try CannedResponseServer.flood(head: "HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n",
                                                  chunk: Array(repeating: 0, count: 16 * 1024), for: 5)
        var received = 0
        do {
            try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/"), maxBodyBytes: 1 << 20) { _, piece in
                received += piece.count
            }
            Issue.record("a huge body was accepted")
        } catch {
            guard case .invalidResponse = error else { Issue.record("unexpected \(error)"); return }
        }
        #expect(received == 0)
    }

    /// Inside one TLS record OpenSSL keeps reading while bytes trickle in, so no per-read timeout fires; only the
    /// watchdog's cut at the total deadline ends the call.
    @Test func aTLSRecordTrickledBytewiseIsCutByTheWatchdog() throws {
        let pki = try TLSTestPKI()
        let server = try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt", uri: "urn:verbund:test:erfurt"))) { stream in
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            // An application-data record header announcing 16 KiB, then its bytes one by one.
            try ([0x17, 0x03, 0x03, 0x40, 0x00] as [UInt8]).withUnsafeBytes { try stream.socket.write($0) }
            for _ in 0..<100 {
                Thread.sleep(forTimeInterval: 0.05)
                guard (try? ([0x42] as [UInt8]).withUnsafeBytes({ try stream.socket.write($0) })) != nil else { break }
            }
            return "trickled"
        }
        let connector = TLSConnector(contexts: TLSContextSlot(try pki.clientContext(try pki.issue("jena", uri: "urn:verbund:test:jena"))),
                                     identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let client = HTTPClient(configuration: HTTPClientConfiguration(responseHeadTimeout: .seconds(30)), connect: connector.httpConnect)
        let started = ContinuousClock.now
        do {
            _ = try client.send(HTTPClientRequest(host: "127.0.0.1", port: server.port, target: "/"), deadline: .milliseconds(1500))
            Issue.record("a trickled TLS record produced a response")
        } catch {
            #expect(error.isTimeout, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func theWatchdogFiresOnlyForDeadlinesThatPassed() {
        var schedule = DeadlineSchedule<Int>()
        let now = ContinuousClock.now
        schedule.arm(1, at: now + .seconds(1))
        schedule.arm(2, at: now + .seconds(3))
        #expect(schedule.next == now + .seconds(1))
        let none = schedule.expire(at: now)
        let first = schedule.expire(at: now + .seconds(2))
        let again = schedule.disarm(1)
        let second = schedule.disarm(2)
        #expect(none.isEmpty && first == [1])
        #expect(!again && second)
        #expect(schedule.isEmpty && schedule.next == nil)
    }
}
