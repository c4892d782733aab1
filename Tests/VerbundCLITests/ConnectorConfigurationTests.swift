import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector

@Suite(.offCooperativePool) struct ConnectorConfigurationTests {
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

@Suite(.offCooperativePool) struct RelativePathTests {
    @Test func relativePathsRoundTrip() {
        #expect(RelativePath.from("/a/demo/jena", to: "/a/demo/admin/root.pem") == "../admin/root.pem")
        #expect(RelativePath.from("/a/demo/jena", to: "/a/demo/jena/member.key") == "member.key")
        #expect(RelativePath.from("/a/b", to: "/a/b") == ".")
        #expect(RelativePath.resolve("../admin/root.pem", against: "/a/demo/jena") == "/a/demo/admin/root.pem")
        #expect(RelativePath.resolve("/abs/x", against: "/a") == "/abs/x")
        #expect(RelativePath.resolve("./x/../y", against: "/a") == "/a/y")
    }

    @Test func loadResolvesAgainstTheFilesFolder() throws {
        let folder = NSTemporaryDirectory() + "verbund-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/city", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = ConnectorConfiguration(
            memberId: "jena", participantId: "urn:verbund:t:jena",
            federation: .init(root: folder + "/fed/root.pem", registry: folder + "/fed/registry.jws", crl: folder + "/fed/crl.pem"),
            keyFile: folder + "/city/member.key", certificateFile: folder + "/city/member.pem", listen: "127.0.0.1:0",
            endpoint: "https://localhost/dsp", management: "127.0.0.1:0", dataDirectory: folder + "/city/data")
        let relative = configuration.relativizingPaths(to: folder + "/city")
        #expect(relative.federation.root == "../fed/root.pem")
        #expect(relative.keyFile == "member.key")
        try Data(try relative.encoded()).write(to: URL(fileURLWithPath: folder + "/city/connector.json"))
        #expect(try ConnectorConfiguration.load(from: folder + "/city/connector.json") == configuration)
        #expect(throws: ConfigurationProblem.self) { try ConnectorConfiguration.load(from: folder + "/missing.json") }
    }
}

@Suite(.offCooperativePool) struct ExampleConfigurationTests {
    @Test func shippedExampleIsValid() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = repository.appendingPathComponent("federation-config/connector.example.json").path
        let configuration = try ConnectorConfiguration.load(from: example)
        #expect(configuration.validate().isEmpty, "\(configuration.validate())")
        #expect(configuration.federation.root.hasSuffix("federation-config/federation/root.pem"))
    }
}

/// `load` tells a missing file, a folder, bad JSON and a missing field apart, in words (issue 14).
@Suite struct ConnectorConfigurationLoadTests {
    func problem(_ path: String) -> String {
        do {
            _ = try ConnectorConfiguration.load(from: path)
            return "loaded"
        } catch {
            return error.description
        }
    }

    @Test func eachKindOfUnreadableConfigurationIsToldApart() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verbund-load-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(problem(folder + "/none.json").contains("does not exist; create it with `verbund member init`"))
        #expect(problem(folder).contains("is a folder; give the connector.json inside it"))
        try Data("{\n  \"memberId\": \"jena\",\n  \"listen\": 8443x\n}".utf8).write(to: URL(fileURLWithPath: folder + "/syntax.json"))
        #expect(problem(folder + "/syntax.json").contains("line 3, column 17: "))
        try Data(#"{"memberId": "jena"}"#.utf8).write(to: URL(fileURLWithPath: folder + "/partial.json"))
        let partial = problem(folder + "/partial.json")
        #expect(partial.contains(#"missing field "participantId""#))
        #expect(!partial.contains("CodingKeys"))
    }
}
