import Foundation
import Testing
@testable import VerbundFederation

@Suite struct MemberRegistryTests {
    private func sample() throws -> MemberRegistry {
        let now = Date(timeIntervalSince1970: 1_800_000_000.75)
        let member = Member(
            id: "jena", participantId: "urn:verbund:th:jena", name: "Stadt Jena", ags: try MunicipalityKey("16053000"),
            endpoint: "https://jena.example/dsp", roles: [.consumer, .provider],
            certificates: [MemberCertificate(fingerprint: "AB01", serial: "0F", notBefore: now, notAfter: now.addingTimeInterval(86_400))])
        return MemberRegistry(federation: .init(id: "th", name: "Thüringen"), serial: 7, issuedAt: now, members: [member])
    }

    @Test func canonicalJSONHasSortedKeysAndRoundTrips() throws {
        let registry = try sample()
        let bytes = try registry.canonicalJSON()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"federation":{"id":"th","name":"Thüringen"},"issuedAt":"2027-01-15T08:00:00Z","members":[{"#))
        #expect(text.contains(#""endpoint":"https://jena.example/dsp""#))  // slashes not escaped
        #expect(!text.contains(": ") && !text.contains(", ") && !text.contains("\n"))
        let decoded = try RegistryJSON.decode(MemberRegistry.self, from: bytes)
        #expect(decoded == registry)
        #expect(try decoded.canonicalJSON() == bytes)
    }

    @Test func fingerprintsAndSerialsAreLowercased() throws {
        let member = try sample().members[0]
        #expect(member.certificates[0].fingerprint == "ab01")
        #expect(member.certificates[0].serial == "0f")
        #expect(member.certificate(fingerprint: "AB01") != nil)
    }

    @Test func nextBumpsSerialAndSortsMembers() throws {
        let registry = try sample()
        let later = Date(timeIntervalSince1970: 1_900_000_000)
        let next = registry.next(at: later) { members in
            members.append(Member(id: "erfurt", participantId: "urn:verbund:th:erfurt", name: "Erfurt", ags: nil,
                                  endpoint: "https://erfurt.example/dsp", roles: [.consumer], certificates: []))
        }
        #expect(next.serial == 8)
        #expect(next.issuedAt == later)
        #expect(next.members.map(\.id) == ["erfurt", "jena"])
        #expect(registry.serial == 7)
    }

    @Test func decodingNamesTheMissingField() {
        do {
            _ = try RegistryJSON.decode(MemberRegistry.self, from: Array(#"{"version":1,"federation":{"id":"x","name":"y"},"issuedAt":"2027-01-01T00:00:00Z","members":[]}"#.utf8))
            Issue.record("a registry without serial decoded")
        } catch {
            #expect(RegistryJSON.describe(error).contains("serial"))
        }
    }
}
