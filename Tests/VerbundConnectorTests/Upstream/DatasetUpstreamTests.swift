import Foundation
import Testing
@testable import VerbundConnector

/// The pure parts of API datasets: the upstream base, the publish-time declaration, the credential's header value and
/// the raw sub-path of a data-plane request, on hostile input.
@Suite struct DatasetUpstreamTests {
    @Test func basesAreParsedIntoHostPortAndPath() throws {
        let https = try UpstreamBase("https://sensors.jena.de/FROST-Server/")
        #expect(https.secure && https.host == "sensors.jena.de" && https.port == 443 && https.path == "/FROST-Server")
        #expect(https.target(subPath: "/v1.1/Things", query: "$top=1") == "/FROST-Server/v1.1/Things?$top=1")
        let http = try UpstreamBase("http://127.0.0.1:8080")
        #expect(!http.secure && http.port == 8080 && http.path == "")
        #expect(http.target(subPath: "", query: nil) == "/")
        let six = try UpstreamBase("http://[::1]:9000/api")
        #expect(six.host == "::1" && six.port == 9000 && six.description == "http://[::1]:9000/api")
    }

    @Test(arguments: [
        "ftp://x/", "https://", "https://user:pw@x/", "https://x/?a=1", "https://x/#f", "https://x:0/", "https://x:70000/",
        "https://x y/", "https://x/\u{1}", "https://x/a/../b", "https://x/%2e%2e", "x.de/api", "https://[::1/",
    ])
    func hostileBasesAreRefused(base: String) {
        #expect(throws: UpstreamBaseError.self) { _ = try UpstreamBase(base) }
    }

    func problem(_ change: (inout DatasetUpstream) -> Void) -> String? {
        var upstream = DatasetUpstream(base: "https://x.example/api", pathPrefixes: ["/v1"])
        change(&upstream)
        do {
            try upstream.validate()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func declarationsAreValidatedFieldByField() {
        #expect(problem { _ in } == nil)
        #expect(problem { $0.pathPrefixes = [] }?.contains("upstream.pathPrefixes") == true)
        #expect(problem { $0.pathPrefixes = ["v1"] }?.contains("upstream.pathPrefixes") == true)
        #expect(problem { $0.methods = ["POST"] }?.contains("GET and HEAD") == true)
        #expect(problem { $0.methods = [] }?.contains("upstream.methods") == true)
        #expect(problem { $0.queryParameters = ["a=b"] }?.contains("upstream.queryParameters") == true)
        #expect(problem { $0.maxResponseBytes = 0 }?.contains("upstream.maxResponseBytes") == true)
        #expect(problem { $0.timeoutSeconds = 3601 }?.contains("upstream.timeoutSeconds") == true)
        #expect(problem { $0.credentialFile = "/etc/token" }?.contains("upstream.credentialKind") == true)
        #expect(problem { $0.credentialFile = "token"; $0.credentialKind = .bearer }?.contains("absolute") == true)
        #expect(problem { $0.base = "http://x.example/"; $0.caFile = "/ca.pem" }?.contains("upstream.caFile") == true)
        #expect(problem { $0.clientCertificateFile = "/c.pem"; $0.clientKeyFile = "/c.key" } == nil)
        #expect(problem { $0.clientCertificateFile = "/c.pem" }?.contains("upstream.clientKeyFile") == true)
        #expect(problem { $0.clientKeyFile = "/c.key" }?.contains("upstream.clientKeyFile") == true)
        #expect(problem { $0.clientCertificateFile = "/c.pem"; $0.clientKeyFile = "c.key" }?.contains("absolute") == true)
        #expect(problem { $0.base = "http://x.example/"; $0.clientCertificateFile = "/c.pem"; $0.clientKeyFile = "/c.key" }?
            .contains("upstream.clientCertificateFile") == true)
    }

    @Test func unknownUpstreamFieldsAreRefusedNotDropped() throws {
        let good = #"{"title":"T","upstream":{"base":"https://x.example/","pathPrefixes":["/"]}}"#
        let publication = try JSONDecoder().decode(DatasetPublication.self, from: Data(good.utf8))
        #expect(publication.file == "" && publication.upstream?.methods == ["GET", "HEAD"])
        #expect(publication.upstream?.maxResponseBytes == DatasetUpstream.defaultMaxResponseBytes)
        let typo = #"{"title":"T","upstream":{"base":"https://x.example/","pathPrefix":["/"]}}"#
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(DatasetPublication.self, from: Data(typo.utf8)) }
    }

    @Test func credentialsBecomeAuthorizationValuesOrAreRefusedWithoutShowingThem() throws {
        #expect(try UpstreamAuthorization.value(kind: .bearer, contents: Array("abc.DEF-1~+/==".utf8), file: "/t")
            == "Bearer abc.DEF-1~+/==")
        #expect(try UpstreamAuthorization.value(kind: .basic, contents: Array("jena:pa ss".utf8), file: "/t")
            == "Basic " + Data("jena:pa ss".utf8).base64EncodedString())
        for (kind, secret) in [(DatasetUpstream.CredentialKind.bearer, "two words"), (.bearer, "line\r\nX-Evil: 1"),
                               (.bearer, "=start"), (.basic, "nocolon"), (.basic, ":nouser"), (.basic, "u:p\nX: y")] {
            do {
                _ = try UpstreamAuthorization.value(kind: kind, contents: Array(secret.utf8), file: "/etc/verbund/t")
                Issue.record("\(kind) \(secret) was accepted")
            } catch {
                #expect(error.description.contains("/etc/verbund/t") && !error.description.contains(secret))
            }
        }
    }

    @Test func theRawSubPathIsWhatFollowsThePid() {
        let pid = "urn:uuid:1"
        #expect(APIDataPlaneRoute.rawSubPath(target: "/dsp/data/urn:uuid:1/v1/a%20b?x=1&y", pid: pid)
            == ("/v1/a%20b", "x=1&y"))
        #expect(APIDataPlaneRoute.rawSubPath(target: "/data/urn:uuid:1", pid: pid) == ("", nil))
        #expect(APIDataPlaneRoute.rawSubPath(target: "/data/urn:uuid:1?", pid: pid) == ("", nil))
        #expect(APIDataPlaneRoute.rawSubPath(target: "/data/urn:uuid:12/v1", pid: pid).subPath == nil)
        #expect(APIDataPlaneRoute.rawSubPath(target: "/data/urn%3Auuid%3A1/v1", pid: pid).subPath == nil)
    }

    @Test func storedValuesAreBoundedAndEscaped() {
        #expect(APIDataResponse.bounded("a\u{1b}[31mb") == "a\\u{1b}[31mb")
        let long = String(repeating: "x", count: 2000)
        #expect(APIDataResponse.bounded(long).count == APIDataResponse.recordedLength + 1)
    }
}
