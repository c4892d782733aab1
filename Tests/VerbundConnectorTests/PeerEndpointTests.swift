import Testing
import VerbundTestSupport
@testable import VerbundConnector

@Suite("PeerEndpoint", .offCooperativePool)
struct PeerEndpointTests {
    @Test("splits host, port and base path")
    func splits() throws {
        let endpoint = try #require(PeerEndpoint("https://jena.example:8443/dsp/"))
        #expect(endpoint.host == "jena.example")
        #expect(endpoint.port == 8443)
        #expect(endpoint.basePath == "/dsp")
        #expect(endpoint.target("catalog/request") == "/dsp/catalog/request")
        let plain = try #require(PeerEndpoint("https://127.0.0.1"))
        #expect(plain.port == 443 && plain.basePath.isEmpty && plain.host == "127.0.0.1")
    }

    @Test("IPv6 hosts lose their brackets; IDN hosts stay in their ASCII form")
    func hosts() throws {
        #expect(PeerEndpoint("https://[::1]:9443/dsp")?.host == "::1")
        #expect(PeerEndpoint("https://xn--mnster-3ya.example/dsp")?.host == "xn--mnster-3ya.example")
    }

    @Test("refuses what is not an https URL with a host", arguments: [
        "", "http://jena.example/dsp", "https:///dsp", "jena.example/dsp", "https://jena.example:0/dsp",
        "https://jena.example:70000/dsp", "ftp://jena.example",
    ])
    func refuses(text: String) {
        #expect(PeerEndpoint(text) == nil)
    }

    @Test("configuration accepts http(s) URLs with a host only")
    func configurationURLs() {
        #expect(ConnectorConfiguration.isHTTPURL("https://127.0.0.1:8443/dsp", httpsOnly: true))
        #expect(ConnectorConfiguration.isHTTPURL("http://registry.example/registry.jws", httpsOnly: false))
        #expect(!ConnectorConfiguration.isHTTPURL("http://registry.example/", httpsOnly: true))
        #expect(!ConnectorConfiguration.isHTTPURL("https:///dsp", httpsOnly: true))
        #expect(!ConnectorConfiguration.isHTTPURL("not a url", httpsOnly: false))
    }
}
