import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
@testable import VerbundConnector

/// An operator sees the DSP listener's pre-authentication bounds at work on `/metrics`: connections refused right
/// after accept (handshake stage full, too many from one source) and handshakes evicted for newer ones.
@Suite(.serialized, .offCooperativePool) struct HandshakeMetricsTests {
    @Test func refusedAndEvictedHandshakesOfTheDSPListenerAreOnTheMetricsRoute() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try NegotiationTestbed.retryingBind {
            try federation.start("a", options: { options in
                options.dspServer.maxHandshakes = 3
                options.dspServer.maxHandshakesPerSource = 2
            })
        }
        defer { a.stop() }
        #expect(try Self.sample(a, ConnectorMetrics.dspHandshakesRefused) == 0)
        #expect(try Self.sample(a, ConnectorMetrics.dspHandshakesEvicted) == 0)

        // 4 sources × 3 silent connections: each source's third is refused, and 8 admissible ones meet a stage of 3.
        let flood = HandshakeFlood(port: try #require(federation.members["a"]).dspPort, count: 12, style: .silent,
                                   perSource: 3)
        defer { flood.stop() }
        let deadline = ContinuousClock.now + .seconds(10)
        var refused = 0.0
        var evicted = 0.0
        while ContinuousClock.now < deadline {
            refused = try Self.sample(a, ConnectorMetrics.dspHandshakesRefused) ?? 0
            evicted = try Self.sample(a, ConnectorMetrics.dspHandshakesEvicted) ?? 0
            if refused > 0 && evicted > 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(refused > 0)
        #expect(evicted > 0)
        let exposition = String(decoding: try a.management("/metrics", authorized: false).body, as: UTF8.self)
        #expect(exposition.contains("# TYPE verbund_dsp_handshakes_refused_total counter"))
        #expect(exposition.contains("# TYPE verbund_dsp_handshakes_evicted_total counter"))
    }

    /// A gauge without labels has a value from the daemon's start: an alert rule on it (docs/monitoring/) must never
    /// see "no data" where it means zero.
    @Test func everyUnlabelledGaugeHasASampleFromTheStart() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try NegotiationTestbed.retryingBind {
            try federation.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        }
        defer { a.stop() }
        let text = String(decoding: try a.management("/metrics", authorized: false).body, as: UTF8.self)
        #expect(text.contains("\nverbund_catalog_published_datasets 0\n"))
        #expect(text.contains("\nverbund_audit_inconsistent_peers 0\n"))
        #expect(text.contains("\nverbund_member_status{status=\"active\"} 1\n"))
        #expect(text.contains("\nverbund_member_status{status=\"revoked\"} 0\n"))
        #expect((try Self.sample(a, OperatingGauges.dataDirectoryFree) ?? 0) > 0)
        var sampled: Set<Substring> = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            sampled.insert(line.split(separator: " ")[0].split(separator: "{")[0])
        }
        // Gauges kept per label (one series per state): no series is right while nothing has that state.
        let perLabel: Set<Substring> = ["verbund_negotiations", "verbund_transfers"]
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") && line.hasSuffix(" gauge") {
            let name = line.split(separator: " ")[2]
            #expect(sampled.contains(name) || perLabel.contains(name), "gauge \(name) has no sample")
        }
    }

    /// The value of the unlabelled series `name` in the connector's `/metrics` exposition, nil when absent.
    static func sample(_ connector: RunningConnector, _ name: String) throws -> Double? {
        let response = try connector.management("/metrics", authorized: false)
        let text = String(decoding: response.body, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }
}
