import Foundation
import Testing
import VerbundConnector

@Suite struct ConnectorConfigurationTests {
    private func valid() -> ConnectorConfiguration {
        ConnectorConfiguration(
            memberId: "jena", participantId: "urn:verbund:thueringen:jena",
            federation: .init(root: "/f/root.pem", registry: "/f/registry.jws", crl: "/f/crl.pem", registryURL: "https://fed.example/registry.jws"),
            keyFile: "/c/member.key", certificateFile: "/c/member.pem", listen: "0.0.0.0:8443",
            endpoint: "https://jena.example/dsp", management: "127.0.0.1:8444", dataDirectory: "/c/data")
    }

    @Test func validConfigurationHasNoProblemsAndRoundTrips() throws {
        let configuration = valid()
        #expect(configuration.validate().isEmpty)
        let decoded = try JSONDecoder().decode(ConnectorConfiguration.self, from: Data(try configuration.encoded()))
        #expect(decoded == configuration)
    }

    @Test func eachBadFieldIsNamed() {
        var configuration = valid()
        configuration.memberId = "Jena"
        configuration.participantId = "urn:other:x"
        configuration.federation.crl = ""
        configuration.federation.registryURL = "ftp://x"
        configuration.listen = "8443"
        configuration.endpoint = "http://jena.example/dsp"
        configuration.management = "0.0.0.0:8444"
        configuration.dataDirectory = ""
        let fields = configuration.validate().map(\.field)
        #expect(fields == ["memberId", "participantId", "federation.crl", "federation.registryURL", "listen", "endpoint", "management", "dataDirectory"])
    }

    @Test func participantMustEndInMemberId() {
        var configuration = valid()
        configuration.participantId = "urn:verbund:thueringen:erfurt"
        #expect(configuration.validate().map(\.field) == ["participantId"])
    }

    @Test(arguments: ["127.0.0.1:8444", "localhost:1", "[::1]:8444", "127.1.2.3:9"])
    func loopbackManagementAddresses(_ address: String) {
        #expect(HostPort(address)?.isLoopback == true)
    }

    @Test(arguments: ["0.0.0.0:8444", "10.0.0.1:1", "[::]:1", "example.org:1"])
    func nonLoopbackManagementAddresses(_ address: String) {
        #expect(HostPort(address)?.isLoopback == false)
    }

    @Test(arguments: ["", "host", "host:", "host:99999", ":80", "::1:80", "[::1]80"])
    func malformedAddresses(_ address: String) {
        #expect(HostPort(address) == nil)
    }
}
