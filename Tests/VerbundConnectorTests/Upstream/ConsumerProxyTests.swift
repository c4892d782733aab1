import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// Using a partner's API through the own connector (docs/operator.md, "Using a partner's API"): `verbund get` and
/// `GET /api/transfers/:pid/data/*` on the consumer's management listener, forwarded over mTLS with the transfer's
/// token to the provider's data plane and on to a real upstream (`PythonUpstream`).
@Suite(.offCooperativePool) struct ConsumerProxyTests {
    typealias Bed = APIDatasetTests.Bed

    static func consumerTransfers(_ bed: Bed) throws -> [TransferSummary] {
        try bed.harness.summaries("c").filter { $0.role == "consumer" }
    }

    /// A request to the consumer's management listener, with the operator token unless `authorization` says otherwise.
    static func local(_ bed: Bed, _ target: String, method: HTTPMethod = .get, authorization: String? = "token",
                      fields: HTTPHeaders = HTTPHeaders()) throws -> HTTPClientResponse {
        let connector = try #require(bed.harness.running["c"]).connector
        var headers = fields
        if authorization == "token" {
            headers.set("Authorization", "Bearer \(connector.managementToken.value)")
        } else if let authorization {
            headers.set("Authorization", authorization)
        }
        return try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: connector.managementPort,
                                                       target: target, headers: headers), maxBodyBytes: 8 << 20,
                                     deadline: .seconds(30))
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func getReadsThePartnersAPIThroughTheOwnConnectorAndNeverShowsACredential() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish().status == 0)
        let agreement = bed.harness.contract()
        let config = bed.config("c")

        // Two reads: the live values change (the upstream counts requests), one transfer serves both.
        let first = bed.run(["get", "--config", config, "--agreement", agreement, "/v1/things?limit=2"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("\"path\": \"/base/v1/things?limit=2\""), "\(first.out)")
        let second = bed.run(["get", "--config", config, "--agreement", agreement, "/v1/things?limit=2", "--include"])
        #expect(second.status == 0, "\(second.err)")
        #expect(second.out != first.out && second.out.contains("\"count\": 2"), "\(second.out)")
        #expect(second.err.contains("HTTP 200") && second.err.contains("ETag: \"v1\""), "\(second.err)")
        let transfers = try Self.consumerTransfers(bed)
        #expect(transfers.count == 1 && transfers[0].kind == "api" && transfers[0].state == "STARTED")
        let pid = transfers[0].pid

        // A binary answer into a file, byte for byte.
        let out = bed.harness.folder.file("blob.bin")
        let blob = bed.run(["get", "--config", config, "--transfer", pid, "/v1/blob", "--out", out])
        #expect(blob.status == 0, "\(blob.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data((0..<300_000).map { UInt8(($0 * 7) % 256) }))

        // The provider's refusal arrives with its reason; nothing is written; a bad PATH is a usage error.
        let refusedFile = bed.harness.folder.file("never.json")
        let refused = bed.run(["get", "--config", config, "--agreement", agreement, "/secret", "--out", refusedFile])
        #expect(refused.status == 1)
        #expect(refused.err.contains("the provider answered 403") && refused.err.contains("allowed"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: refusedFile))
        #expect(bed.run(["get", "--config", config, "--agreement", agreement, "v1/things"]).status == 2)

        // `fetch` of the API agreement explains what to use instead and starts no transfer.
        let fetch = bed.run(["fetch", "--config", config, "--agreement", agreement, "--out", bed.harness.folder.file("x.json")])
        #expect(fetch.status == 2)
        #expect(fetch.err.contains("verbund get --agreement \(agreement)") && fetch.err.contains("no transfer was started"),
                "\(fetch.err)")
        #expect(try Self.consumerTransfers(bed).count == 1)
        // The daemon refuses to download it too, saying the same.
        let events = try bed.harness.download(pid, to: bed.harness.folder.file("y.json"))
        #expect(events.last?.event == "failed" && (events.last?.error ?? "").contains("verbund get"), "\(events)")

        // Neither the upstream's credential nor the transfer's token ever reached the local side.
        let (_, token) = try bed.harness.dataAddress(pid)
        let everything = [first, second, blob, refused, fetch].map { $0.out + $0.err }.joined()
        #expect(!everything.contains(APIDatasetTests.token) && !everything.contains(token))
        let shown = bed.run(["transfers", "show", pid, "--config", config, "--json"])
        #expect(shown.out.contains("\"kind\"") && !shown.out.contains(token), "\(shown.out)")
        // …and the upstream never saw the consumer's management token or the application's own fields.
        let management = try #require(bed.harness.running["c"]).connector.managementToken.value
        let direct = try Self.local(bed, "/api/transfers/\(pid)/data/v1/things", fields: [
            "Cookie": "session=local-secret", "X-Forwarded-For": "10.0.0.1", "Accept": "application/json"])
        #expect(direct.status.code == 200)
        // The provider's length travels on as Content-Length (not chunked).
        #expect(direct.headers["Content-Length"] == String(direct.body.count) && direct.headers["Transfer-Encoding"] == nil)
        let seen = bed.upstream.requests()
        #expect(seen.allSatisfy { !"\($0)".contains(management) && !"\($0)".contains("local-secret") && !"\($0)".contains("10.0.0.1") })
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func theLocalRouteNeedsAStewardAndRelaysCutsSuspensionAndRevocation() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish().status == 0)
        let (_, _, providerPid) = try bed.started()
        let pid = try #require(try Self.consumerTransfers(bed).first).pid

        // Without credentials 401; an auditor may read transfers but not spend the contract's requests.
        #expect(try Self.local(bed, "/api/transfers/\(pid)/data/v1/things", authorization: nil).status.code == 401)
        let accounts = AccountStore(database: try #require(bed.harness.running["c"]).context.database)
        _ = try accounts.add("pruefer", role: .auditor, secret: "pruefer-secret-123", now: Date())
        let basic = "Basic " + Data("pruefer:pruefer-secret-123".utf8).base64EncodedString()
        let forbidden = try Self.local(bed, "/api/transfers/\(pid)/data/v1/things", authorization: basic)
        #expect(forbidden.status.code == 403)
        #expect(String(decoding: forbidden.body, as: UTF8.self).contains("steward"))
        #expect(try Self.local(bed, "/api/transfers/nope/data/v1/things").status.code == 404)

        // The base path and a query on it are forwarded as they are (the allow-list refuses the base: 403 from the provider).
        let base = try Self.local(bed, "/api/transfers/\(pid)/data?limit=1")
        #expect(base.status.code == 403 && String(decoding: base.body, as: UTF8.self).contains("TransferError"))

        // The provider cuts an answer over the dataset's cap while it streams: the local answer is cut too, never
        // passed off as complete.
        #expect(throws: (any Error).self) { _ = try Self.local(bed, "/api/transfers/\(pid)/data/v1/stream") }
        let cut = bed.run(["get", "--config", bed.config("c"), "--transfer", pid, "/v1/stream", "--out", bed.harness.folder.file("s")])
        #expect(cut.status == 1 && cut.err.contains("did not arrive completely"), "\(cut.err)")

        // The provider suspends the transfer: its reason reaches the application.
        let suspended = try bed.harness.call("p", .post, "/api/transfers/\(providerPid)/suspend", json: ["reason": "Wartung"])
        #expect(suspended.status.code == 200)
        _ = try bed.harness.wait("c", pid, for: "SUSPENDED")
        let paused = bed.run(["get", "--config", bed.config("c"), "--transfer", pid, "/v1/things"])
        #expect(paused.status == 1 && paused.err.contains("SUSPENDED") && paused.err.contains("Wartung"), "\(paused.err)")

        // The provider's member is revoked in the federation: the consumer sends nothing to it any more.
        let (_, _, otherProviderPid) = try bed.started()
        let other = try #require(try Self.consumerTransfers(bed).first { $0.providerPid == otherProviderPid }).pid
        #expect(try Self.local(bed, "/api/transfers/\(other)/data/v1/things").status.code == 200)
        let count = bed.upstream.requests().count
        _ = try bed.harness.federation.admin().revoke(memberId: "p", reason: "left the federation")
        try bed.harness.federation.publish(to: ["c"])
        let deadline = Date().addingTimeInterval(10)
        var status = 200
        while Date() < deadline {
            status = try Self.local(bed, "/api/transfers/\(other)/data/v1/things").status.code
            if status != 200 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(status == 409 || status == 502, "\(status)")
        let afterRevocation = bed.upstream.requests().count
        #expect(try Self.local(bed, "/api/transfers/\(other)/data/v1/things").status.code >= 400)
        #expect(bed.upstream.requests().count == afterRevocation && afterRevocation <= count + 1)
    }

    @Test func onlySafeRequestFieldsTravelAndTargetsAreKeptAsWritten() throws {
        let fields = ProxyRequestFields.forwarded([
            "Accept": "application/geo+json", "Range": "bytes=0-99", "If-None-Match": "\"v1\"", "Authorization": "Bearer x",
            "Cookie": "a=b", "Host": "evil", "X-Forwarded-For": "1.2.3.4", "Accept-Language": String(repeating: "d", count: 600),
        ])
        #expect(fields.map(\.name).sorted() == ["Accept", "If-None-Match", "Range"])
        var twice = HTTPHeaders()
        twice.add("Range", "bytes=0-1")
        twice.add("Range", "bytes=5-6")
        #expect(ProxyRequestFields.forwarded(twice).map(\.name).isEmpty)

        #expect(try ConsumerAPIProxy.suffix(of: "/api/transfers/t1/data/v1.1/Things?$top=5") == "/v1.1/Things?$top=5")
        #expect(try ConsumerAPIProxy.suffix(of: "/api/transfers/urn%3Auuid%3Ax/data/a%2Fb/") == "/a%2Fb/")
        #expect(try ConsumerAPIProxy.suffix(of: "/api/transfers/t1/data") == "")
        #expect(try ConsumerAPIProxy.suffix(of: "/api/transfers/t1/data?x=1") == "?x=1")
        #expect(throws: HTTPError.self) { try ConsumerAPIProxy.suffix(of: "/api/transfers/t1/dataX") }

        #expect(try APIGetCommand.requestTarget("/v1.1/Things?$top=5&$filter=name eq 'P+R'")
                == "/v1.1/Things?$top=5&$filter=name%20eq%20'P+R'")
        #expect(try APIGetCommand.requestTarget("/a%2Fb") == "/a%2Fb")
        #expect(throws: CLIError.self) { try APIGetCommand.requestTarget("v1") }
        #expect(throws: CLIError.self) { try APIGetCommand.requestTarget("/v1\n") }
    }
}
