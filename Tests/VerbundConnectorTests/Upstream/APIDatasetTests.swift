import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundDataspace
import VerbundHTTP
import VerbundTrust
@testable import VerbundConnector

/// Datasets backed by an API (docs/operator.md): published with `verbund datasets publish --upstream`, transferred
/// as `HttpData-PULL`, and every request of the consumer forwarded by the provider's data plane to a real upstream
/// (`PythonUpstream`, Python's http.server on loopback) when the allow-list and the policy let it.
@Suite(.offCooperativePool) struct APIDatasetTests {
    static let token = "s3cr3t-upstream-token"

    final class Bed: Sendable {
        let harness: TransferHarness
        let upstream: PythonUpstream
        let credential: String

        init() throws {
            harness = try TransferHarness(size: 10)
            upstream = try PythonUpstream(folder: harness.folder.path)
            credential = harness.folder.file("upstream.token")
            try Data((APIDatasetTests.token + "\n").utf8).write(to: URL(fileURLWithPath: credential))
            chmod(credential, 0o600)
            harness.running["p"] = try harness.federation.start("p", modules: [
                CatalogModule(crawls: false),
                TransferModule(contracts: harness.contracts["p"]!, files: CatalogDatasetFiles(), dataRecheck: .milliseconds(200)),
            ])
            harness.running["c"] = try harness.federation.start("c", modules: [CatalogModule(crawls: false), harness.module("c")])
        }

        func stop() {
            harness.stopAll()
            upstream.stop()
        }

        func config(_ id: String) -> String { harness.federation.members[id]!.configurationFile }

        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }

        /// Publishes the API dataset (`harness.datasetId`) with the given extra options.
        func publish(_ extra: [String] = []) -> (status: Int32, out: String, err: String) {
            run(["datasets", "publish", "--config", config("p"), "--id", harness.datasetId, "--title", "Sensoren", "--description", "Testdaten",
                 "--upstream", "http://127.0.0.1:\(upstream.port)/base", "--allow-path", "/v1", "--allow-query", "limit",
                 "--allow-method", "GET", "--max-response-bytes", "1048576", "--timeout", "2",
                 "--credential-file", credential] + extra)
        }

        /// A started transfer under a new contract: the consumer's data address and token, and the provider's pid.
        func started(_ constraints: [Constraint] = []) throws -> (endpoint: String, token: String, providerPid: String) {
            let transfer = try harness.request(harness.contract(constraints))
            let provider = try harness.startedOnBothSides(transfer)
            let (endpoint, token) = try harness.dataAddress(transfer.pid)
            return (endpoint, token, provider.pid)
        }

        func get(_ url: String, token: String?, method: HTTPMethod = .get, headers extra: HTTPHeaders = HTTPHeaders())
            throws -> PeerResponse {
            var headers = extra
            if let token { headers.add("Authorization", "Bearer \(token)") }
            return try harness.running["c"]!.context.peerClient.send(toURL: url, member: "p", method: method, headers: headers,
                                                                    maxBodyBytes: 8 << 20, deadline: .seconds(20))
        }
    }

    static func transferError(_ response: PeerResponse) -> (type: String?, code: String?, reason: String) {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        let reasons = (object["reason"] as? [String]) ?? (object["dspace:reason"] as? [String]) ?? []
        return ((object["@type"] as? String), (object["code"] as? String), reasons.joined(separator: "; "))
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func allowedRequestsAreForwardedWithTheCredentialAndOthersAreRefused() throws {
        let bed = try Bed()
        defer { bed.stop() }
        let published = bed.publish()
        #expect(published.status == 0, "\(published.err)")
        #expect(published.out.contains("api") && !published.out.contains(Self.token))
        let listing = bed.run(["datasets", "list", "--config", bed.config("p"), "--json"])
        #expect(listing.out.contains("\"kind\":\"api\"") || listing.out.contains("\"kind\" : \"api\""), "\(listing.out)")
        #expect(listing.out.contains("upstream.token") && !listing.out.contains(Self.token))

        let (endpoint, token, providerPid) = try bed.started()
        // The data address says what the consumer got: an API, with no size.
        let consumerPid = try #require(try bed.harness.summaries("c").first).pid
        let stored = try bed.harness.running["c"]!.context.database.read { tx in
            try TransferTable.find(localPid: consumerPid, in: tx)?.dataAddress
        }
        let address = try #require(stored)
        #expect(address[property: DatasetKind.addressProperty] == "api")
        #expect(address[property: TransferFormat.byteSizeProperty] == nil)

        // An allowed GET: the upstream's answer, its status and safe headers; nothing of its credential or cookies.
        let things = try bed.get(endpoint + "/v1/things?limit=2", token: token)
        #expect(things.status.code == 200)
        let body = String(decoding: things.body, as: UTF8.self)
        #expect(body.contains("\"path\": \"/base/v1/things?limit=2\""), "\(body)")
        #expect(things.headers["Content-Type"] == "application/json")
        #expect(things.headers["ETag"] == "\"v1\"")
        for name in ["Set-Cookie", "WWW-Authenticate", "X-Upstream-Secret"] { #expect(things.headers[name] == nil, "\(name)") }
        let everything = things.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + body
        #expect(!everything.contains(Self.token) && !everything.contains("upstream-cookie") && !everything.contains("BaseHTTP"))
        // The upstream got the provider's credential and never the consumer's transfer token.
        let seen = bed.upstream.requests()
        #expect(seen.last?["authorization"] == "Bearer \(Self.token)")
        #expect(seen.allSatisfy { !($0["authorization"] ?? "").contains(token) && !($0["target"] ?? "").contains(token) })

        // A binary answer streams byte for byte; its SHA-256 is in the audit entry.
        let blob = try bed.get(endpoint + "/v1/blob", token: token)
        let expected = (0..<300_000).map { UInt8(($0 * 7) % 256) }
        #expect(blob.status.code == 200 && blob.body == expected)

        // Refusals are TransferError JSON and never reach the upstream (a dot segment is refused by the DSP listener's
        // request parser already, 400).
        let before = bed.upstream.requests().count
        for (target, status) in [("/secret", 403), ("", 403), ("/v1/things?limit=1&admin=1", 403), ("/v1/%2e%2e/secret", 400),
                                 ("/v1thing", 403)] {
            let refused = try bed.get(endpoint + target, token: token)
            #expect(refused.status.code == status, "\(target): \(refused.status.code)")
            let error = Self.transferError(refused)
            #expect(error.type == "TransferError" && error.code == String(status), "\(target): \(error)")
        }
        let head = try bed.get(endpoint + "/v1/things", token: token, method: .head)
        #expect(head.status.code == 405)
        #expect(try bed.get(endpoint + "/v1/things", token: nil).status.code == 401)
        #expect(try bed.get(endpoint + "/v1/things", token: "wrong").status.code == 401)
        #expect(bed.upstream.requests().count == before)

        // A slow upstream: 504 within the dataset's 2 s deadline (plus a margin), not the upstream's 6 s.
        let began = Date()
        let slow = try bed.get(endpoint + "/v1/slow", token: token)
        #expect(slow.status.code == 504)
        #expect(Date().timeIntervalSince(began) < 5)
        #expect(Self.transferError(slow).reason.contains("2 s"))
        // Over the 1 MiB cap: by Content-Length a 502 before any byte; while streaming (chunked) the answer is cut.
        let big = try bed.get(endpoint + "/v1/big", token: token)
        #expect(big.status.code == 502)
        #expect(Self.transferError(big).reason.contains("1048576"))
        #expect(throws: (any Error).self) { _ = try bed.get(endpoint + "/v1/stream", token: token) }

        // Each forwarded request is in the audit log: path, query, status, bytes and the SHA-256 of what was sent.
        let entries = try bed.harness.auditEntries("p", kind: "transfer.api.request")
        #expect(entries.allSatisfy { $0["pid"] as? String == providerPid })
        let blobEntry = try #require(entries.first { $0["path"] as? String == "/v1/blob" })
        #expect(blobEntry["bytes"] as? Int == 300_000 && blobEntry["status"] as? Int == 200)
        #expect(blobEntry["sha256"] as? String == Hex.encode(SHA256.hash(expected)))
        #expect(blobEntry["complete"] as? Bool == true)
        #expect(entries.contains { $0["path"] as? String == "/v1/things" && $0["query"] as? String == "limit=2" })
        #expect(entries.contains { $0["path"] as? String == "/v1/slow" && $0["status"] as? Int == 504 })
        #expect(entries.contains { $0["path"] as? String == "/v1/stream" && $0["complete"] as? Bool == false })
        // The transfer keeps running (an API transfer is one access period) and counts the bytes it served.
        let provider = try bed.harness.summary("p", providerPid)
        #expect(provider.state == "STARTED")
        #expect(provider.bytes >= 300_000)
        // Nothing the daemon logged or audited holds the credential.
        let audit = try bed.harness.auditEntries("p", kind: "catalog.dataset.published")
        #expect(!"\(audit)".contains(Self.token))
        #expect(!"\(entries)".contains(Self.token))
        #expect(!bed.harness.running["p"]!.log.all.joined().contains(Self.token))
        #expect(!bed.harness.running["c"]!.log.all.joined().contains(Self.token))
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func theDailyBudgetAnswers429AndASuspendedMemberIsRefused() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish().status == 0)
        let budget = "https://w3id.org/verbund/odrl/requestsPerDay"
        let (endpoint, token, providerPid) = try bed.started([.atomic(budget, "lteq", .string("2"))])
        #expect(try bed.get(endpoint + "/v1/things", token: token).status.code == 200)
        // A refused path spends nothing.
        #expect(try bed.get(endpoint + "/nope", token: token).status.code == 403)
        #expect(try bed.get(endpoint + "/v1/things", token: token).status.code == 200)
        let spent = try bed.get(endpoint + "/v1/things", token: token)
        #expect(spent.status.code == 429)
        #expect(Self.transferError(spent).reason.contains("per day"), "\(Self.transferError(spent))")
        #expect(bed.upstream.requests().count == 2)
        // Only the day's budget is spent: the transfer still runs.
        #expect(try bed.harness.summary("p", providerPid).state == "STARTED")

        // Another transfer, then the consumer is suspended in the federation: its transfers end and it gets nothing.
        let (other, otherToken, otherPid) = try bed.started()
        #expect(try bed.get(other + "/v1/things", token: otherToken).status.code == 200)
        _ = try bed.harness.federation.admin().suspend(memberId: "c", reason: "unpaid fees")
        try bed.harness.federation.publish(to: ["p"])
        #expect(try bed.harness.wait("p", otherPid, for: "TERMINATED").state == "TERMINATED")
        let count = bed.upstream.requests().count
        let refused = try? bed.get(other + "/v1/things", token: otherToken)
        #expect(refused.map { $0.status.code >= 400 } ?? true)
        #expect(bed.upstream.requests().count == count)
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func publishingRefusesWhatCannotWorkAndNeverStoresTheCredential() throws {
        let bed = try Bed()
        defer { bed.stop() }
        // A credential file others can read is refused, naming the file and the fix, not the contents.
        chmod(bed.credential, 0o644)
        let open = bed.publish()
        #expect(open.status != 0)
        #expect(open.err.contains("chmod 600") && !open.err.contains(Self.token), "\(open.err)")
        chmod(bed.credential, 0o600)
        for (extra, message) in [(["--upstream", "ftp://x/"], "https://"), (["--upstream", "https://u:p@x/"], "credential file"),
                                 (["--allow-method", "POST"], "GET and HEAD"), (["--timeout", "0"], "--timeout"),
                                 (["--ca-file", "/nonexistent.pem"], "caFile")] {
            let base = extra.first == "--upstream" ? [] : ["--upstream", "http://127.0.0.1:\(bed.upstream.port)/base"]
            let refused = bed.run(["datasets", "publish", "--config", bed.config("p"), "--title", "T", "--description", "Testdaten", "--allow-path", "/v1",
                                   "--credential-file", bed.credential] + base + extra)
            #expect(refused.status != 0, "\(extra)")
            #expect(refused.err.contains(message), "\(extra): \(refused.err)")
        }
        let noPath = bed.run(["datasets", "publish", "--config", bed.config("p"), "--title", "T", "--description", "Testdaten",
                              "--upstream", "http://127.0.0.1:\(bed.upstream.port)/base"])
        #expect(noPath.err.contains("pathPrefixes"), "\(noPath.err)")
        #expect(bed.run(["datasets", "publish", "--config", bed.config("p"), "--title", "T", "--description", "Testdaten", "--file", bed.credential,
                         "--upstream", "http://127.0.0.1:1/"]).status != 0)
        // The management API takes the same object; an unknown field inside it is refused, not dropped.
        let published = bed.publish()
        #expect(published.status == 0, "\(published.err)")
        let stored = try bed.harness.running["p"]!.context.database.read { tx in
            try tx.query("SELECT * FROM catalog_dataset").map { row in try row.optionalString("upstream") ?? "" }
        }
        #expect(stored.count == 1 && stored[0].contains("upstream.token") && !stored[0].contains(Self.token))
        let refresh = bed.run(["datasets", "refresh", "--config", bed.config("p"), bed.harness.datasetId])
        #expect(refresh.status != 0 && refresh.err.contains("API dataset"), "\(refresh.err)")
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func onlyTheConsumersNegotiationConditionalAndRangeFieldsReachTheUpstream() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish().status == 0)
        let (endpoint, token, _) = try bed.started()
        let hostile: HTTPHeaders = [
            "Accept": "application/geo+json", "Accept-Language": "de", "If-None-Match": "\"v0\"",
            "If-Modified-Since": "Sat, 05 Dec 2026 03:00:00 GMT", "Range": "bytes=0-9",
            "Cookie": "session=consumer-cookie", "X-Forwarded-For": "10.66.0.1", "Forwarded": "for=10.66.0.1",
            "Proxy-Authorization": "Basic Y29uc3VtZXI6cHc=", "X-Api-Key": "consumer-key", "Via": "1.1 consumer-proxy",
        ]
        #expect(try bed.get(endpoint + "/v1/things", token: token, headers: hostile).status.code == 200)
        let seen = try #require(bed.upstream.requests().last)
        let fields = (seen["headers"] ?? "").split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0].lowercased(), parts.count > 1 ? parts[1] : "")
        }
        // Exactly the allowed fields, the upstream's own Host, the provider's User-Agent and credential.
        #expect(Set(fields.map(\.0)) == ["accept", "accept-language", "if-none-match", "if-modified-since", "range",
                                         "host", "user-agent", "authorization"], "\(fields)")
        let value = Dictionary(fields, uniquingKeysWith: { first, _ in first })
        #expect(value["host"] == "127.0.0.1:\(bed.upstream.port)")
        #expect(value["authorization"] == "Bearer \(Self.token)")
        #expect(value["range"] == "bytes=0-9" && value["accept"] == "application/geo+json")
        for secret in ["consumer-cookie", "10.66.0.1", "consumer-key", "consumer-proxy", token, "Y29uc3VtZXI6cHc="] {
            #expect(!(seen["headers"] ?? "").contains(secret), "\(secret) reached the upstream")
        }

        // A Range with another unit, a too long Accept: dropped, the request still goes (the fields are optional).
        let odd: HTTPHeaders = ["Range": "items=0-9", "Accept": String(repeating: "a", count: 600)]
        #expect(try bed.get(endpoint + "/v1/things", token: token, headers: odd).status.code == 200)
        let second = try #require(bed.upstream.requests().last)
        #expect(!(second["headers"] ?? "").contains("items=") && !(second["headers"] ?? "").contains("aaaa"))
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func aTricklingBodyIsCutAtTheTotalDeadline() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish().status == 0)
        let (endpoint, token, _) = try bed.started()
        // The head comes at once and announces 1000 bytes; then 10 bytes every 0.3 s (30 s in all). The dataset's
        // deadline (2 s) covers the whole exchange, so the answer is cut after about 2 s, not when the body ends.
        let began = Date()
        #expect(throws: (any Error).self) { _ = try bed.get(endpoint + "/v1/trickle", token: token) }
        #expect(Date().timeIntervalSince(began) < 6)
        let entry = try #require(try bed.harness.auditEntries("p", kind: "transfer.api.request")
            .first { $0["path"] as? String == "/v1/trickle" })
        #expect(entry["complete"] as? Bool == false)
        #expect((entry["bytes"] as? Int ?? 1000) < 1000)
        #expect((entry["reason"] as? String ?? "").contains("2 s"), "\(entry)")
    }

    @Test(OutsideCheckers.trait("python3 http.server upstream", absence: PythonUpstream.absence))
    func brokenUpstreamAnswersAre502sOrCutsNeverPassedOn() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish().status == 0)
        let (endpoint, token, _) = try bed.started()
        // Not HTTP, or a head beyond the 64 KiB bound: a 502 before any byte, saying the answer was not valid HTTP.
        for path in ["/v1/garbage", "/v1/hugeheaders"] {
            let broken = try bed.get(endpoint + path, token: token)
            #expect(broken.status.code == 502, "\(path)")
            #expect(Self.transferError(broken).reason.contains("not valid HTTP"), "\(path): \(Self.transferError(broken))")
            #expect(!broken.headers.contains { $0.name.hasPrefix("X-Pad") })
        }
        // An answer that ends before its announced length: the consumer's connection ends too (it sees the cut), and
        // the audit entry says the answer was incomplete.
        #expect(throws: (any Error).self) { _ = try bed.get(endpoint + "/v1/short", token: token) }
        let entries = try bed.harness.auditEntries("p", kind: "transfer.api.request")
        let short = try #require(entries.first { $0["path"] as? String == "/v1/short" })
        #expect(short["complete"] as? Bool == false && (short["bytes"] as? Int ?? 0) <= 1000)
        #expect(entries.filter { $0["status"] as? Int == 502 }.count == 2)
        // The transfer survives a broken upstream.
        #expect(try bed.get(endpoint + "/v1/things", token: token).status.code == 200)
    }
}
