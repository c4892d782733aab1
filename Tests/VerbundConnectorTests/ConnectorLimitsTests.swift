import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
@testable import VerbundCLI
@testable import VerbundConnector

/// connector.json's `limits`: an operator tunes the bounds of the hostile-member work without a rebuild; a typo or
/// an unusable value stops the start with an error that says what is allowed.
@Suite(.offCooperativePool) struct ConnectorLimitsTests {
    @Test func defaultsAreTheCodesDefaults() throws {
        func value(_ name: String) throws -> Double { try #require(LimitKey.named(name)).defaultValue }
        #expect(try value("handshakeTimeoutSeconds") == 3)
        #expect(try value("maxHandshakes") == 256)
        #expect(try value("maxHandshakesPerSource") == 16)
        #expect(try value("outboxParallelDeliveries") == 8)
        #expect(try value("outboxPerPeerDeliveries") == 2)
        #expect(try value("outboxDeliveryDeadlineSeconds") == 30)
        #expect(try value("outboxMaxResponseBytes") == 1_048_576)
        #expect(try value("crawlMaxPages") == 1_000)
        #expect(try value("crawlPeerDeadlineSeconds") == 120)
        #expect(try value("federationFetchDeadlineSeconds") == 15)
        #expect(try value("federationMaxCRLBytes") == 4_194_304)
        #expect(try value("memberNegotiationsPerMinute") == 120)
        #expect(try value("transferResumeAllowanceBytes") == 33_554_432)
        #expect(LimitKey.all.count == 23)
        #expect(Set(LimitKey.all.map(\.name)).count == LimitKey.all.count)
        // Every default lies within its own range (else an operator could not write the default down).
        for key in LimitKey.all { #expect(key.accepts(key.defaultValue), "\(key.name)") }
        #expect(ConnectorLimits().validate().isEmpty)
    }

    /// docs/operator.md's table lists every key with its default, so the guide cannot drift from the code.
    @Test func theOperatorGuideListsEveryKeyWithItsDefault() throws {
        let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/operator.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        for key in LimitKey.all {
            let value = key.defaultValue
            let shown = value == value.rounded() ? String(Int64(value)) : String(value)
            #expect(text.contains("| `\(key.name)` | \(shown) "), "docs/operator.md: no row for \(key.name) with default \(shown)")
        }
    }

    @Test func unknownKeysAndValuesOutOfRangeAreNamedWithWhatIsAllowed() {
        let problems = ConnectorLimits(["maxHandshake": 5, "outboxParallelDeliveries": 0, "crawlMaxPages": 2.5,
                                        "handshakeTimeoutSeconds": 0.5]).validate()
        #expect(problems.count == 3)
        let unknown = problems.first { $0.field == "limits.maxHandshake" }
        #expect(unknown?.message.contains("unknown limit 'maxHandshake'") == true)
        #expect(unknown?.message.contains("maxHandshakes, maxHandshakesPerSource") == true)
        let range = problems.first { $0.field == "limits.outboxParallelDeliveries" }
        #expect(range?.message.contains("must be a whole number from 1 to 256") == true)
        let fraction = problems.first { $0.field == "limits.crawlMaxPages" }
        #expect(fraction?.message.contains("whole number from 1 to 1000000") == true)
    }

    @Test func configuredKeysOverrideAndOthersKeepTheirValues() throws {
        let limits = ConnectorLimits(["handshakeTimeoutSeconds": 1.5, "maxHandshakesPerSource": 4, "outboxParallelDeliveries": 3,
                                      "outboxMaxResponseBytes": 65_536, "federationFetchDeadlineSeconds": 5,
                                      "memberTransfersPerMinute": 30, "crawlMaxPages": 7, "crawlPageDeadlineSeconds": 2,
                                      "transferResumeAllowanceBytes": 0])
        var given = ConnectorOptions()
        given.dspServer.maxHandshakes = 99  // not in limits: kept
        let options = limits.applied(to: given)
        #expect(options.dspServer.handshakeTimeout == .milliseconds(1_500))
        #expect(options.dspServer.maxHandshakesPerSource == 4)
        #expect(options.dspServer.maxHandshakes == 99)
        #expect(options.outbox.parallelDeliveries == 3)
        #expect(options.outbox.perPeerDeliveries == 2)
        #expect(options.outbox.maxResponseBytes == 65_536)
        #expect(options.federationFetch.deadline == .seconds(5))
        #expect(options.memberWrites.transfersPerMinute == 30)
        #expect(options.memberWrites.negotiationsPerMinute == 120)
        #expect(limits.crawlBounds == CrawlBounds(maxPages: 7, pageDeadline: .seconds(2)))
        #expect(limits.resumeAllowance == 0)

        // What `verbund serve` builds from them.
        let modules = ConnectorModules.all(limits: limits)
        let catalog = try #require(modules.lazy.compactMap { $0 as? CatalogModule }.first)
        #expect(catalog.crawlBounds.maxPages == 7)
        let transfer = try #require(modules.lazy.compactMap { $0 as? TransferModule }.first)
        #expect(transfer.gate.resumeAllowance == 0)
        let defaults = ConnectorModules.all(limits: ConnectorLimits())
        #expect(try #require(defaults.lazy.compactMap { $0 as? CatalogModule }.first).crawlBounds == .standard)
    }

    @Test func connectorJSONCarriesLimitsAndReadsWithoutThem() throws {
        let folder = TemporaryFolder()
        let file = folder.path + "/connector.json"
        let text = """
            {"memberId": "a", "participantId": "urn:verbund:f:a", "keyFile": "k", "certificateFile": "c",
             "federation": {"root": "r", "registry": "g", "crl": "l"}, "listen": "0.0.0.0:8443",
             "endpoint": "https://a.example/dsp", "management": "127.0.0.1:8444", "dataDirectory": "d",
             "limits": {"maxHandshakesPerSource": 8, "crawlPeerDeadlineSeconds": 60.5}}
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let configuration = try ConnectorConfiguration.load(from: file)
        #expect(configuration.limits == ConnectorLimits(["maxHandshakesPerSource": 8, "crawlPeerDeadlineSeconds": 60.5]))
        #expect(configuration.validate().isEmpty)
        let written = String(decoding: try configuration.encoded(), as: UTF8.self)
        #expect(written.contains("\"maxHandshakesPerSource\" : 8"))
        let without = text.replacingOccurrences(of: #"\n *"limits": \{[^}]*\}"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""d","#, with: #""d""#)
        #expect(!without.contains("limits"))
        try Data(without.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try ConnectorConfiguration.load(from: file).limits == nil)
        #expect(!(String(decoding: try ConnectorConfiguration.load(from: file).encoded(), as: UTF8.self)).contains("limits"))
    }

    @Test func serveRefusesAnUnknownOrOutOfRangeLimitWithExitOne() throws {
        let federation = try FederationFixture(members: ["a"])
        var configuration = try federation.configuration("a")
        configuration.limits = ConnectorLimits(["maxHandshake": 5, "federationFetchDeadlineSeconds": 0])
        let file = federation.members["a"]!.folder + "/bad-limits.json"
        try Data(try configuration.encoded()).write(to: URL(fileURLWithPath: file))
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["serve", "--config", file], console: console) == 1)
        #expect(console.standardError.contains("limits.maxHandshake: unknown limit 'maxHandshake'; the known limits are"))
        #expect(console.standardError.contains("limits.federationFetchDeadlineSeconds: 0.0 is out of range"))
        #expect(console.standardError.contains("a number of seconds from 1 to 600"))
    }

    /// The daemon itself applies the file's limits: with at most one handshake per source, three silent connections
    /// from one address are refused at once — with the default (16) none would be.
    @Test func serveAppliesTheHandshakeLimitsOfConnectorJSON() throws {
        let federation = try FederationFixture(members: ["a"])
        var configuration = try federation.configuration("a")
        configuration.limits = ConnectorLimits(["maxHandshakesPerSource": 1, "handshakeTimeoutSeconds": 30])
        let member = try #require(federation.members["a"])
        try Data(try configuration.relativizingPaths(to: member.folder).encoded())
            .write(to: URL(fileURLWithPath: member.configurationFile))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExecutableLocator.verbund())
        process.arguments = ["serve", "--config", member.configurationFile]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let portFile = member.folder + "/data/" + Connector.managementPortFileName
        var port: UInt16?
        let started = ContinuousClock.now + .seconds(10)
        while port == nil && ContinuousClock.now < started {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let managementPort = try #require(port, "verbund serve did not start within 10 s")

        let flood = HandshakeFlood(port: member.dspPort, count: 3, style: .silent, perSource: 3)
        defer { flood.stop() }
        var refused = 0.0
        let deadline = ContinuousClock.now + .seconds(10)
        while refused < 2 && ContinuousClock.now < deadline {
            let metrics = try HTTPClient().send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: managementPort,
                                                                  target: "/metrics"))
            let text = String(decoding: metrics.body, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix(ConnectorMetrics.dspHandshakesRefused + " ") }
            refused = line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            if refused < 2 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(refused >= 2)
    }
}
