/// One key of connector.json's `limits` object: its name, unit, allowed range, and where it goes in `LimitSettings`.
/// The default is read from `LimitSettings()` (the code's defaults), so it cannot drift from them.
package struct LimitKey: Sendable {
    package enum Unit: String, Sendable {
        case seconds, bytes, count
        case perMinute = "per minute"
    }

    package let name: String
    package let unit: Unit
    package let range: ClosedRange<Double>
    /// What it bounds, for errors and docs/operator.md.
    package let summary: String
    let read: @Sendable (LimitSettings) -> Double
    let write: @Sendable (Double, inout LimitSettings) -> Void

    /// The value in effect when connector.json does not set the key.
    package var defaultValue: Double { read(LimitSettings()) }

    /// Whether `value` is allowed: within the range and, unless a duration, a whole number.
    func accepts(_ value: Double) -> Bool {
        value.isFinite && range.contains(value) && (unit == .seconds || value == value.rounded())
    }

    /// "from 1 to 65536 connections"-like wording of the range for error messages.
    var rangeText: String {
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        let kind = unit == .seconds ? "a number of seconds" : unit == .bytes ? "a whole number of bytes"
            : unit == .perMinute ? "a whole number per minute" : "a whole number"
        return "\(kind) from \(number(range.lowerBound)) to \(number(range.upperBound))"
    }

    static func seconds(_ name: String, _ range: ClosedRange<Double>, _ summary: String,
                        _ path: any WritableKeyPath<LimitSettings, Duration> & Sendable) -> LimitKey {
        LimitKey(name: name, unit: .seconds, range: range, summary: summary,
                 read: { $0[keyPath: path].seconds },
                 write: { value, settings in settings[keyPath: path] = .milliseconds(Int64((value * 1000).rounded())) })
    }

    static func whole(_ name: String, _ unit: Unit, _ range: ClosedRange<Double>, _ summary: String,
                      _ path: any WritableKeyPath<LimitSettings, Int> & Sendable) -> LimitKey {
        LimitKey(name: name, unit: unit, range: range, summary: summary,
                 read: { Double($0[keyPath: path]) }, write: { value, settings in settings[keyPath: path] = Int(value) })
    }
}

extension LimitKey {
    private static let mebibyte = Double(1 << 20)
    private static let gibibyte = Double(1 << 30)

    /// Every key connector.json's `limits` may hold, in the order docs/operator.md lists them.
    package static let all: [LimitKey] = [
        seconds("handshakeTimeoutSeconds", 0.1...60, "total time of a TLS handshake on the DSP listener, from accept",
                \.dspServer.handshakeTimeout),
        whole("maxHandshakes", .count, 1...65_536, "handshakes under way at once on the DSP listener (oldest cut off beyond)",
              \.dspServer.maxHandshakes),
        whole("maxHandshakesPerSource", .count, 1...65_536,
              "handshakes under way at once from one IPv4 address or IPv6 /64 (new ones closed beyond)",
              \.dspServer.maxHandshakesPerSource),
        whole("outboxParallelDeliveries", .count, 1...256, "outbox messages delivered at once", \.outbox.parallelDeliveries),
        whole("outboxPerPeerDeliveries", .count, 1...256, "outbox messages delivered at once to one member",
              \.outbox.perPeerDeliveries),
        seconds("outboxDeliveryDeadlineSeconds", 1...3_600, "total time of one delivery attempt (connect, send, answer)",
                \.outbox.deliveryDeadline),
        whole("outboxMaxResponseBytes", .bytes, 1_024...(64 * mebibyte), "largest answer body taken from a peer",
              \.outbox.maxResponseBytes),
        whole("crawlMaxPageBytes", .bytes, 1_024...gibibyte, "largest catalog page of a peer", \.crawlBounds.maxPageBytes),
        whole("crawlMaxPages", .count, 1...1_000_000, "catalog pages per crawl of one peer", \.crawlBounds.maxPages),
        whole("crawlMaxDatasets", .count, 1...10_000_000, "datasets per crawl of one peer", \.crawlBounds.maxDatasets),
        whole("crawlMaxBytes", .bytes, 1_024...(16 * gibibyte), "catalog bytes per crawl of one peer, all pages together",
              \.crawlBounds.maxBytes),
        seconds("crawlPageDeadlineSeconds", 1...3_600, "total time of one catalog page", \.crawlBounds.pageDeadline),
        seconds("crawlPeerDeadlineSeconds", 1...86_400, "total time of one crawl of one peer", \.crawlBounds.peerDeadline),
        whole("federationFetchesInFlight", .count, 1...64, "registry/CRL fetches from announcing peers at once",
              \.federationFetch.maxInFlight),
        whole("federationFetchBurstPerPeer", .count, 1...100, "fetches one peer's announcements may start in a burst",
              \.federationFetch.burstPerPeer),
        seconds("federationFetchRefillSeconds", 0.1...86_400, "time after which a peer earns one more fetch",
                \.federationFetch.refillPerPeer),
        seconds("federationFetchDeadlineSeconds", 1...600, "total time of one registry/CRL fetch (also the registryURL poll)",
                \.federationFetch.deadline),
        whole("federationMaxRegistryBytes", .bytes, 4_096...(256 * mebibyte), "largest registry a peer or registryURL may send",
              \.federationFetch.maxRegistryBytes),
        whole("federationMaxCRLBytes", .bytes, 4_096...(256 * mebibyte), "largest CRL a peer may send",
              \.federationFetch.maxCRLBytes),
        whole("memberRefusedTrustUpdatesPerMinute", .perMinute, 1...1_000_000,
              "refused registries/CRLs of one member logged and recorded", \.memberWrites.refusedTrustUpdatesPerMinute),
        whole("memberNegotiationsPerMinute", .perMinute, 1...1_000_000, "new negotiations one member may start (429 beyond)",
              \.memberWrites.negotiationsPerMinute),
        whole("memberTransfersPerMinute", .perMinute, 1...1_000_000, "new transfers one member may start (429 beyond)",
              \.memberWrites.transfersPerMinute),
        whole("transferResumeAllowanceBytes", .bytes, 0...Double(1 << 40),
              "bytes one transfer may send beyond one copy of the dataset, so interrupted downloads resume",
              \.resumeAllowance),
    ]

    package static func named(_ name: String) -> LimitKey? { all.first { $0.name == name } }
}
