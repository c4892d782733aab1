import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundDataspace
import VerbundHTTP
import VerbundTrust
@testable import VerbundConnector

/// API datasets in front of a real HTTPS upstream: Debian's nginx (`NginxUpstream`) with TLS from a CA the test made,
/// HTTP basic authentication or a required client certificate, serving static JSON and a 64 MiB file. The consumer
/// fetches through the provider's data plane; the tests assert the bytes and their digest, and that the upstream's
/// credential reaches neither the consumer (headers and bodies) nor the provider's log and audit log.
@Suite(.offCooperativePool) struct NginxAPIDatasetTests {
    static let check = "nginx (Debian) as an HTTPS upstream"

    final class Bed: Sendable {
        let harness: TransferHarness
        let nginx: NginxUpstream
        let credential: String

        init() throws {
            harness = try TransferHarness(size: 10)
            nginx = try NginxUpstream(folder: harness.folder.file("nginx"),
                                      ports: (try FederationFixture.freePort(), try FederationFixture.freePort()))
            credential = harness.folder.file("upstream.basic")
            try Data("\(NginxUpstream.user):\(NginxUpstream.password)\n".utf8).write(to: URL(fileURLWithPath: credential))
            chmod(credential, 0o600)
            harness.running["p"] = try harness.federation.start("p", modules: [
                CatalogModule(crawls: false),
                TransferModule(contracts: harness.contracts["p"]!, files: CatalogDatasetFiles(), dataRecheck: .milliseconds(200)),
            ])
            harness.running["c"] = try harness.federation.start("c", modules: [CatalogModule(crawls: false), harness.module("c")])
        }

        func stop() {
            harness.stopAll()
            nginx.stop()
        }

        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }

        /// Publishes `harness.datasetId` as an API on nginx's basic-auth server (`mutual`: its client-certificate one).
        func publish(mutual: Bool = false, _ extra: [String]) -> (status: Int32, out: String, err: String) {
            let port = mutual ? nginx.mutualPort : nginx.port
            return run(["datasets", "publish", "--config", harness.federation.members["p"]!.configurationFile,
                        "--id", harness.datasetId, "--title", "Parken Jena", "--description", "Testdaten", "--upstream", "https://127.0.0.1:\(port)/base",
                        "--allow-path", "/v1", "--max-response-bytes", String(100 << 20), "--timeout", "60"] + extra)
        }

        func started() throws -> (endpoint: String, token: String, providerPid: String) {
            let transfer = try harness.request(harness.contract())
            let provider = try harness.startedOnBothSides(transfer)
            let (endpoint, token) = try harness.dataAddress(transfer.pid)
            return (endpoint, token, provider.pid)
        }

        func get(_ url: String, token: String, method: HTTPMethod = .get, headers extra: HTTPHeaders = HTTPHeaders())
            throws -> PeerResponse {
            var headers = extra
            headers.add("Authorization", "Bearer \(token)")
            return try harness.running["c"]!.context.peerClient.send(toURL: url, member: "p", method: method, headers: headers,
                                                                    maxBodyBytes: 8 << 20, deadline: .seconds(30))
        }

        /// Everything the provider logged and audited, as one text.
        func providerRecords() throws -> String {
            let connector = try #require(harness.running["p"])
            let log = connector.context.audit.log
            let entries = try connector.context.database.read { tx in try log.entries(0..<log.size(in: tx), in: tx) }
            return connector.log.all.joined(separator: "\n") + "\n"
                + entries.map { String(decoding: $0.canonicalJSON, as: UTF8.self) }.joined(separator: "\n")
        }
    }

    /// What must never leave the provider: the password, `user:password` and its Base64 (the `Authorization` value).
    static let secrets = [NginxUpstream.password, "\(NginxUpstream.user):\(NginxUpstream.password)",
                          Data("\(NginxUpstream.user):\(NginxUpstream.password)".utf8).base64EncodedString()]

    static func shown(_ response: PeerResponse, body: Bool = true) -> String {
        response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            + (body ? "\n\n" + String(decoding: response.body, as: UTF8.self) : "")
    }

    @Test(OutsideCheckers.trait(check, absence: NginxUpstream.absence))
    func basicAuthOverTLSServesJSONAndA64MiBFileAndTheCredentialStaysWithTheProvider() throws {
        let bed = try Bed()
        defer { bed.stop() }
        let published = bed.publish(["--credential-file", bed.credential, "--credential-kind", "basic",
                                     "--ca-file", bed.nginx.caFile])
        #expect(published.status == 0, "\(published.err)")
        let (endpoint, token, providerPid) = try bed.started()
        var received: [String] = []

        // Static JSON, as nginx has it, with its validators; nothing of nginx's own headers.
        let things = try bed.get(endpoint + "/v1/things.json", token: token)
        received.append(Self.shown(things))
        #expect(things.status.code == 200, "\(Self.shown(things))")
        #expect(things.body == Array(bed.nginx.thingsJSON.utf8))
        #expect(things.headers["Content-Type"] == "application/json")
        #expect(things.headers["ETag"] != nil && things.headers["Last-Modified"] != nil)
        #expect(!Self.shown(things).contains("nginx"), "\(Self.shown(things))")

        // 64 MiB streamed to a digest: every byte, in order. The consumer stops reading for a second after 1 MiB: the
        // provider holds a few pieces only, so nginx cannot finish sending meanwhile (it logs a request when it ends) —
        // memory stays flat instead of the provider reading the whole answer ahead of a slow consumer.
        var digest = SHA256Stream()
        var bytes = 0
        var finishedWhilePaused: Bool?
        let head = try bed.harness.running["c"]!.context.peerClient.stream(
            toURL: endpoint + "/v1/large.bin", member: "p", headers: ["Authorization": "Bearer \(token)"],
            deadline: .seconds(120)) { _, piece in
            digest.update(piece)
            bytes += piece.count
            if finishedWhilePaused == nil, bytes >= 1 << 20 {
                Thread.sleep(forTimeInterval: 1)
                finishedWhilePaused = bed.nginx.accessLog.contains("large.bin")
            }
        }
        #expect(finishedWhilePaused == false)
        #expect(bed.nginx.logs("/base/v1/large.bin HTTP/1.1\" 200"))
        received.append(head.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n"))
        #expect(head.status.code == 200)
        #expect(bytes == NginxUpstream.largeSize)
        let expected = try DownloadFile.sha256(at: bed.nginx.largeFile)
        let sha256 = Hex.encode(digest.finalize())
        #expect(sha256 == expected)
        let entries = try bed.harness.auditEntries("p", kind: "transfer.api.request")
        let large = try #require(entries.first { $0["path"] as? String == "/v1/large.bin" })
        #expect(large["sha256"] as? String == expected && large["bytes"] as? Int == NginxUpstream.largeSize)
        #expect(large["complete"] as? Bool == true && large["pid"] as? String == providerPid)

        // A missing file is nginx's 404, passed on.
        let missing = try bed.get(endpoint + "/v1/nothing.json", token: token)
        received.append(Self.shown(missing))
        #expect(missing.status.code == 404)

        // The credential rotated on disk to a wrong one: nginx answers 401, the consumer a 502 that says the provider
        // must act — never the upstream's 401 with its WWW-Authenticate, which the consumer would take for its own.
        try Data("\(NginxUpstream.user):wrong-password".utf8).write(to: URL(fileURLWithPath: bed.credential))
        let refused = try bed.get(endpoint + "/v1/things.json", token: token)
        received.append(Self.shown(refused))
        #expect(refused.status.code == 502, "\(Self.shown(refused))")
        #expect(APIDatasetTests.transferError(refused).reason.contains("credential"), "\(Self.shown(refused))")
        #expect(refused.headers["WWW-Authenticate"] == nil)
        try Data("\(NginxUpstream.user):\(NginxUpstream.password)".utf8).write(to: URL(fileURLWithPath: bed.credential))
        #expect(try bed.get(endpoint + "/v1/things.json", token: token).status.code == 200)

        // nginx saw the credential (its access log names the user); nobody else did.
        #expect(bed.nginx.logs(NginxUpstream.user))
        let records = try bed.providerRecords()
        #expect(records.contains("/v1/large.bin"))
        received.append(bed.harness.running["c"]!.log.all.joined(separator: "\n"))
        for secret in Self.secrets {
            #expect(!received.joined().contains(secret), "the consumer received \(secret)")
            #expect(!records.contains(secret), "the provider's log or audit log holds \(secret)")
        }
    }

    @Test(OutsideCheckers.trait(check, absence: NginxUpstream.absence))
    func anUpstreamCertificateFromAnotherCAIsA502ThatSaysSo() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish(["--credential-file", bed.credential, "--credential-kind", "basic",
                             "--ca-file", bed.nginx.wrongCAFile]).status == 0)
        let (endpoint, token, _) = try bed.started()
        let refused = try bed.get(endpoint + "/v1/things.json", token: token)
        #expect(refused.status.code == 502)
        let error = APIDatasetTests.transferError(refused)
        #expect(error.type == "TransferError" && error.code == "502")
        #expect(error.reason.contains("TLS") && error.reason.contains("certificate"), "\(error.reason)")
        // The provider's log names the cause in detail; nothing reached nginx's access log.
        #expect(try bed.providerRecords().contains("certificate verify failed"))
        #expect(bed.nginx.accessLog.isEmpty)
        for secret in Self.secrets { #expect(!Self.shown(refused).contains(secret)) }
    }

    @Test(OutsideCheckers.trait(check, absence: NginxUpstream.absence))
    func anUpstreamThatRequiresAClientCertificateGetsTheProvidersAndTheKeyStaysSecret() throws {
        let bed = try Bed()
        defer { bed.stop() }
        let nginx = bed.nginx
        let key = try String(contentsOfFile: nginx.clientKey, encoding: .utf8)
        let keyBody = try #require(key.split(separator: "\n").dropFirst().first.map(String.init))
        let tls = ["--ca-file", nginx.caFile, "--upstream-client-cert", nginx.clientCertificate]
        // A key others can read is refused with the fix; a key of another certificate too; neither shows the key.
        chmod(nginx.clientKey, 0o644)
        let open = bed.publish(mutual: true, tls + ["--upstream-client-key", nginx.clientKey])
        #expect(open.status != 0 && open.err.contains("chmod 600"), "\(open.err)")
        chmod(nginx.clientKey, 0o600)
        let mismatched = bed.publish(mutual: true, tls + ["--upstream-client-key", nginx.folder + "/wrong-ca.key"])
        #expect(mismatched.status != 0 && mismatched.err.contains("belongs"), "\(mismatched.err)")
        let alone = bed.publish(mutual: true, ["--ca-file", nginx.caFile, "--upstream-client-key", nginx.clientKey])
        #expect(alone.status != 0 && alone.err.contains("clientKeyFile"), "\(alone.err)")
        for refused in [open, mismatched, alone] { #expect(!(refused.out + refused.err).contains(keyBody)) }

        let published = bed.publish(mutual: true, tls + ["--upstream-client-key", nginx.clientKey])
        #expect(published.status == 0, "\(published.err)")
        let (endpoint, token, _) = try bed.started()
        let things = try bed.get(endpoint + "/v1/things.json", token: token)
        #expect(things.status.code == 200, "\(Self.shown(things))")
        #expect(things.body == Array(nginx.thingsJSON.utf8))
        // nginx verified the certificate the provider presented (its access log has the request it let through).
        #expect(nginx.logs("/base/v1/things.json HTTP/1.1\" 200"), "\(nginx.accessLog)")

        // Certificate and key replaced on disk by a pair nginx does not trust: the next request presents the new pair
        // (nginx refuses it, 400) without a restart; the right pair back, it works again.
        let original = try [nginx.clientCertificate, nginx.clientKey].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        func install(_ certificate: Data, _ key: Data) throws {
            try certificate.write(to: URL(fileURLWithPath: nginx.clientCertificate))
            try key.write(to: URL(fileURLWithPath: nginx.clientKey))
            chmod(nginx.clientKey, 0o600)
        }
        try install(try Data(contentsOf: URL(fileURLWithPath: nginx.wrongCAFile)),
                    try Data(contentsOf: URL(fileURLWithPath: nginx.folder + "/wrong-ca.key")))
        #expect(try bed.get(endpoint + "/v1/things.json", token: token).status.code == 400)
        try install(original[0], original[1])
        #expect(try bed.get(endpoint + "/v1/things.json", token: token).status.code == 200)

        // The catalog keeps the paths only; the listing, the log and the audit log never hold the key.
        let listing = bed.run(["datasets", "list", "--config", bed.harness.federation.members["p"]!.configurationFile, "--json"])
        #expect(listing.out.contains("client.key"), "\(listing.out)")
        let stored = try bed.harness.running["p"]!.context.database.read { tx in
            try tx.query("SELECT upstream FROM catalog_dataset").map { try $0.optionalString("upstream") ?? "" }.joined()
        }
        #expect(stored.contains("clientKeyFile"))
        for text in [listing.out, stored, try bed.providerRecords(), Self.shown(things)] {
            #expect(!text.contains(keyBody) && !text.contains("PRIVATE KEY"))
        }
    }

    @Test(OutsideCheckers.trait(check, absence: NginxUpstream.absence))
    func withoutTheClientCertificateTheUpstreamRefusesAndNothingLeaks() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish(mutual: true, ["--ca-file", bed.nginx.caFile]).status == 0)
        let (endpoint, token, _) = try bed.started()
        // nginx's own answer to a client without a certificate (400), passed on as the upstream's status.
        let refused = try bed.get(endpoint + "/v1/things.json", token: token)
        #expect(refused.status.code == 400, "\(Self.shown(refused))")
        #expect(!String(decoding: refused.body, as: UTF8.self).contains("thing"))
    }

    @Test(OutsideCheckers.trait(check, absence: NginxUpstream.absence))
    func conditionalRangeAndHeadRequestsGetNginxsOwnAnswers() throws {
        let bed = try Bed()
        defer { bed.stop() }
        #expect(bed.publish(["--credential-file", bed.credential, "--credential-kind", "basic",
                             "--ca-file", bed.nginx.caFile]).status == 0)
        let (endpoint, token, _) = try bed.started()
        let json = Array(bed.nginx.thingsJSON.utf8)
        let first = try bed.get(endpoint + "/v1/things.json", token: token)
        #expect(first.status.code == 200 && first.body == json)
        // The upstream's length is sent on as Content-Length, not re-framed as chunks.
        #expect(first.headers["Content-Length"] == String(json.count) && first.headers["Transfer-Encoding"] == nil)
        let etag = try #require(first.headers["ETag"])
        let modified = try #require(first.headers["Last-Modified"])

        // Conditional requests reach nginx; its 304 comes back with the validators and no body.
        for conditional: HTTPHeaders in [["If-None-Match": etag], ["If-Modified-Since": modified]] {
            let unchanged = try bed.get(endpoint + "/v1/things.json", token: token, headers: conditional)
            #expect(unchanged.status.code == 304, "\(conditional): \(Self.shown(unchanged))")
            #expect(unchanged.body.isEmpty && unchanged.headers["ETag"] == etag)
        }
        let other = try bed.get(endpoint + "/v1/things.json", token: token, headers: ["If-None-Match": "\"other\""])
        #expect(other.status.code == 200 && other.body == json)

        // One byte range of the 64 MiB file: nginx's 206 with its Content-Range, exactly those bytes.
        let range = try bed.get(endpoint + "/v1/large.bin", token: token, headers: ["Range": "bytes=1000-1099"])
        #expect(range.status.code == 206, "\(Self.shown(range, body: false))")
        #expect(range.headers["Content-Range"] == "bytes 1000-1099/\(NginxUpstream.largeSize)")
        #expect(range.headers["Content-Length"] == "100")
        let file = try #require(FileHandle(forReadingAtPath: bed.nginx.largeFile))
        try file.seek(toOffset: 1000)
        #expect(range.body == Array(try file.read(upToCount: 100) ?? Data()))
        try file.close()

        // HEAD: the length a GET would get, and that nginx serves ranges; no body.
        let head = try bed.get(endpoint + "/v1/large.bin", token: token, method: .head)
        #expect(head.status.code == 200 && head.body.isEmpty)
        #expect(head.headers["Content-Length"] == String(NginxUpstream.largeSize), "\(Self.shown(head, body: false))")
        #expect(head.headers["Accept-Ranges"] == "bytes")
        let entries = try bed.harness.auditEntries("p", kind: "transfer.api.request")
        #expect(entries.contains { $0["status"] as? Int == 206 && $0["bytes"] as? Int == 100 })
        #expect(entries.filter { $0["status"] as? Int == 304 }.count == 2)
    }
}
