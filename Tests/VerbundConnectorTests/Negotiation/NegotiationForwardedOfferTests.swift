import Foundation
import Testing
import VerbundTestSupport
import VerbundCLI
import VerbundDataspace
@testable import VerbundConnector

/// Offers forwarded by a member that can see them: the provider's catalog hides a Thüringen-only offer from a member
/// outside region 16, but a Thüringen member can pass it on; the provider then refuses with its policy's reason.
@Suite(.offCooperativePool) struct NegotiationForwardedOfferTests {
    /// Provider e (Erfurt, 16), w (Weimar, 16) sees the offer, h (Herne, 05) does not; all with the real catalog module.
    final class Forwarding: Sendable {
        let federation: FederationFixture
        let wire = WireRecorder()
        let e: RunningConnector
        let w: RunningConnector
        let h: RunningConnector
        let offer = Offer(id: "urn:uuid:luft-thueringen", permission: [Rule(action: "use", constraint: [
            .atomic(DSPVocabulary.regionOperand, "isPartOf", .string("16")),
        ])])
        let dataset = "urn:dataset:luftqualitaet"

        init() throws {
            federation = try FederationFixture(members: ["e", "w", "h"], ags: ["e": "16051000", "w": "16071000", "h": "05916000"])
            let federation = self.federation
            let wire = self.wire
            func start(_ id: String) throws -> RunningConnector {
                let modules: [any ConnectorModule] = [CatalogModule(crawls: false), NegotiationModule(offers: CatalogOffers(), tap: wire.tap(id))]
                return try NegotiationTestbed.retryingBind { try federation.start(id, modules: modules) }
            }
            e = try start("e")
            w = try start("w")
            h = try start("h")
            let record = DatasetRecord(id: dataset, title: "Luftqualität", offers: [offer])
            let path = federation.root.path + "/luft.csv"
            try e.context.database.transaction { tx in
                try CatalogStore(database: e.context.database).insert(record, filePath: path, at: Date(), in: tx)
            }
        }

        func stop() {
            h.stop()
            w.stop()
            e.stop()
        }

        /// The offer as w's `verbund catalog --peer e --json` shows it.
        func forwardedByWeimar() throws -> Offer {
            let response = try w.management("/api/catalog/peers/e")
            #expect(response.status.code == 200)
            let listing = try ManagementJSON.decoder().decode(CatalogListing.self, from: Data(response.body))
            let entry = try #require(listing.datasets.first { $0.id == dataset })
            return try #require(entry.offers.first?.policy)
        }

        func start(_ request: NegotiationStartRequest) throws -> (status: Int, body: String) {
            let response = try h.management("/api/negotiations", method: .post, body: Array(try JSONEncoder().encode(request)))
            return (Int(response.status.code), String(decoding: response.body, as: UTF8.self))
        }

        func finished(_ body: String) throws -> NegotiationReport {
            let started = try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(body.utf8))
            return try NegotiationTestbed(members: []).waitUntilFinished(h, started.id)
        }
    }

    @Test func aForwardedRegionOfferIsRefusedWithTheProvidersReason() throws {
        let bed = try Forwarding()
        defer { bed.stop() }
        // Herne cannot read the offer itself: e answers as for an unknown dataset.
        let hidden = try bed.start(NegotiationStartRequest(peer: "e", dataset: bed.dataset))
        #expect(hidden.status == 502 && hidden.body.contains("404"), "\(hidden.body)")

        let forwarded = try bed.forwardedByWeimar()
        #expect(forwarded.id == bed.offer.id && forwarded.target == nil)
        let started = try bed.start(NegotiationStartRequest(peer: "e", dataset: bed.dataset, purpose: "Luftreinhalteplanung",
                                                            offerPolicy: forwarded))
        #expect(started.status == 201, "\(started.body)")
        let refused = try bed.finished(started.body)
        #expect(refused.state == "TERMINATED" && refused.agreementId == nil)
        let reason = try #require(refused.reason)
        #expect(reason.contains("your AGS 05916000 is not in it"), "\(reason)")
        #expect(!reason.contains("changes the rules") && !reason.contains("not in this connector's catalog"))
        // The provider decided the request as any other and kept the same reason.
        let providerPid = try #require(refused.providerPid)
        let providerSide = try #require(try NegotiationTestbed(members: []).report(bed.e, providerPid))
        #expect(providerSide.state == "TERMINATED" && providerSide.reason == reason)

        // Weimar, inside region 16, is agreed the same forwarded offer.
        let response = try bed.w.management("/api/negotiations", method: .post, body: Array(try JSONEncoder().encode(
            NegotiationStartRequest(peer: "e", dataset: bed.dataset, offerPolicy: forwarded))))
        #expect(response.status.code == 201)
        let started2 = try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(response.body))
        #expect(try NegotiationTestbed(members: []).waitUntilFinished(bed.w, started2.id).state == "FINALIZED")

        let problems = try DSPValidation.failures(bed.wire.bodies.map(\.body))
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func forwardedOffersWithOtherRulesOrIdsAreRefusedAsBefore() throws {
        let bed = try Forwarding()
        defer { bed.stop() }
        let forwarded = try bed.forwardedByWeimar()

        // The region constraint dropped: the provider agrees only to its published offers as they stand.
        var loosened = forwarded
        loosened.permission = [Rule(action: "use")]
        let changed = try bed.finished(try bed.start(NegotiationStartRequest(peer: "e", dataset: bed.dataset, offerPolicy: loosened)).body)
        #expect(changed.state == "TERMINATED")
        #expect(try #require(changed.reason).contains("changes the rules"), "\(changed.reason ?? "")")

        // An offer id the provider never published.
        var invented = forwarded
        invented.id = "urn:uuid:erfunden"
        let unknown = try bed.finished(try bed.start(NegotiationStartRequest(peer: "e", dataset: bed.dataset, offerPolicy: invented)).body)
        #expect(unknown.state == "TERMINATED")
        #expect(try #require(unknown.reason).contains("not in this connector's catalog"))

        // The consumer checks the forwarded offer before it sends anything.
        var otherTarget = forwarded
        otherTarget.target = "urn:dataset:anderes"
        var noPermission = forwarded
        noPermission.permission = []
        var noId = forwarded
        noId.id = " "
        for bad in [otherTarget, noPermission, noId] {
            let refused = try bed.start(NegotiationStartRequest(peer: "e", dataset: bed.dataset, offerPolicy: bad))
            #expect(refused.status == 400 && refused.body.contains("offerPolicy cannot be requested"), "\(refused.body)")
        }
        let otherId = try bed.start(NegotiationStartRequest(peer: "e", dataset: bed.dataset, offer: "urn:uuid:x", offerPolicy: forwarded))
        #expect(otherId.status == 400 && otherId.body.contains("give one of them"))
        let problems = try DSPValidation.failures(bed.wire.bodies.map(\.body))
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func negotiateWithAnOfferFilePrintsTheReason() throws {
        let bed = try Forwarding()
        defer { bed.stop() }
        let folder = TemporaryFolder("verbund-forwarded-offer")
        // The offer as `verbund catalog --json` prints it: one entry of a dataset's "offers".
        let response = try bed.w.management("/api/catalog/peers/e")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let entry = try #require((listing["datasets"] as? [[String: Any]])?.first)
        let offerFile = folder.path + "/offer.json"
        let offerEntry = try #require((entry["offers"] as? [Any])?.first)
        try JSONSerialization.data(withJSONObject: offerEntry).write(to: URL(fileURLWithPath: offerFile))
        let config = bed.federation.members["h"]!.configurationFile
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiate", "--config", config, "--peer", "e", "--dataset", bed.dataset,
                                         "--offer-file", offerFile, "--timeout", "20"], console: console) == 1)
        #expect(console.standardError.contains("was terminated"), "\(console.standardError)")
        #expect(console.standardError.contains("your AGS 05916000 is not in it"), "\(console.standardError)")
    }

    @Test func offerFileUsageErrors() throws {
        let folder = TemporaryFolder("verbund-offer-file")
        func write(_ name: String, _ text: String) throws -> String {
            let path = folder.path + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let rule = #"{"action":"use"}"#
        let two = try write("dataset.json", #"{"@id":"urn:dataset:d","hasPolicy":[{"@id":"urn:o1","permission":[\#(rule)]},{"@id":"urn:o2","permission":[\#(rule)]}]}"#)
        let cases: [(arguments: [String], status: Int32, message: String)] = [
            (["--offer-file", folder.path + "/missing.json"], 1, "the offer file \(folder.path)/missing.json does not exist"),
            (["--offer-file", folder.path], 1, "is a folder, not a file"),
            (["--offer-file", try write("text.json", "not json")], 1, "is not JSON: line 1, column 1: unexpected text"),
            (["--offer-file", try write("empty.json", #"{"title":"x"}"#)], 1, "holds no ODRL Offer"),
            (["--offer-file", try write("broken.json", #"{"@id":"urn:o","@type":"Agreement"}"#)], 1, "holds no valid ODRL Offer"),
            (["--offer-file", two], 2, "pick one with --offer ID"),
            (["--offer-file", two, "--offer", "urn:o3"], 1, "has no offer urn:o3"),
            (["--offer-file", try write("target.json", #"{"@id":"urn:o","target":"urn:dataset:other","permission":[\#(rule)]}"#)], 1,
             "is for dataset urn:dataset:other, not urn:dataset:d"),
            (["--offer-file", try write("nothing.json", #"{"@id":"urn:o","prohibition":[\#(rule)]}"#)], 1, "has no permission"),
        ]
        for (arguments, status, message) in cases {
            let console = CapturedConsole()
            let code = VerbundCommandLine.main(["negotiate", "--config", folder.path + "/none.json", "--peer", "e",
                                                "--dataset", "urn:dataset:d"] + arguments, console: console)
            #expect(code == status, "\(arguments): \(console.standardError)")
            #expect(console.standardError.contains(message), "\(arguments): \(console.standardError)")
        }
        // A valid file gets past the offer checks to the configuration (which does not exist here).
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiate", "--config", folder.path + "/none.json", "--peer", "e", "--dataset", "urn:dataset:d",
                                         "--offer-file", two, "--offer", "urn:o2"], console: console) != 0)
        #expect(console.standardError.contains(folder.path + "/none.json does not exist"), "\(console.standardError)")
    }
}
