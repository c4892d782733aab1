import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundConnector

@Suite(.offCooperativePool) struct ObservabilityTests {
    @Test func logLinesAreOneJSONObjectWithTimeLevelAndEvent() throws {
        let capture = LogCapture()
        let logger = StructuredLogger(minimumLevel: .info, clock: { Date(timeIntervalSince1970: 1_700_000_000.123) },
                                      sink: { line in capture.logger.log(.info, "forwarded", ["line": .string(line)]) })
        logger.info("registry.accepted", ["serial": 7, "note": "quote \" and\nnewline", "ok": true])
        logger.debug("too.verbose")
        let forwarded = capture.events("forwarded")
        try #require(forwarded.count == 1)
        let line = try #require(forwarded[0]["line"] as? String)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["event"] as? String == "registry.accepted")
        #expect(object["level"] as? String == "info")
        #expect(object["time"] as? String == "2023-11-14T22:13:20.123Z")
        #expect(object["serial"] as? Int == 7)
        #expect(object["note"] as? String == "quote \" and\nnewline")
        #expect(object["ok"] as? Bool == true)
    }

    @Test func controlCharactersAreEscaped() {
        #expect(LogValue.string("a\u{01}b\tc").json == #""a\u0001b\tc""#)
        #expect(LogValue.double(.infinity).json == #""inf""#)
        #expect(LogValue.object(["b": 1, "a": .array([.null, false])]).json == #"{"a":[null,false],"b":1}"#)
    }

    @Test func prometheusExposition() {
        let metrics = MetricsRegistry()
        metrics.counter("verbund_test_requests_total", help: "Requests.\nSecond line")
        metrics.gauge("verbund_test_depth", help: "Depth.")
        metrics.sampledGauge("verbund_test_sampled", help: "Sampled.") { [(labels: ["peer": "b"], value: 2.5)] }
        metrics.increment("verbund_test_requests_total", labels: ["status": "200", "route": "/x\"y"])
        metrics.increment("verbund_test_requests_total", labels: ["route": "/x\"y", "status": "200"], by: 2)
        metrics.set("verbund_test_depth", to: 4)
        // Undeclared names and negative increments are ignored, never a crash.
        metrics.increment("verbund_test_unknown")
        metrics.increment("verbund_test_requests_total", labels: ["route": "/x\"y", "status": "200"], by: -5)
        metrics.set("verbund_test_requests_total", to: 99)
        let text = metrics.exposition()
        #expect(text == """
            # HELP verbund_test_depth Depth.
            # TYPE verbund_test_depth gauge
            verbund_test_depth 4
            # HELP verbund_test_requests_total Requests.\\nSecond line
            # TYPE verbund_test_requests_total counter
            verbund_test_requests_total{route="/x\\"y",status="200"} 3
            # HELP verbund_test_sampled Sampled.
            # TYPE verbund_test_sampled gauge
            verbund_test_sampled{peer="b"} 2.5

            """)
        #expect(metrics.value("verbund_test_requests_total", labels: ["status": "200", "route": "/x\"y"]) == 3)
    }
}
