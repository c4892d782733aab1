import Testing
@testable import VerbundFederation

@Suite struct IdentifierTests {
    @Test(arguments: ["jena", "stadt-jena", "a", "k9", String(repeating: "x", count: 63)])
    func acceptsWellFormedIds(_ id: String) {
        #expect(Identifier.isValid(id))
    }

    @Test(arguments: ["", "Jena", "stadt_jena", "stadt:jena", "-jena", "jena-", "jena ", "jéna", String(repeating: "x", count: 64)])
    func refusesMalformedIds(_ id: String) {
        #expect(!Identifier.isValid(id))
        #expect(throws: IdentifierError.self) { try Identifier.check(id, kind: "member id") }
    }

    @Test func errorNamesTheOffendingCharacter() {
        #expect(throws: IdentifierError.self) { try Identifier.check("stadt:jena", kind: "member id") }
        do {
            try Identifier.check("stadt:jena", kind: "member id")
        } catch {
            #expect(error.description.contains("':' is not allowed"))
            #expect(error.description.contains("member id"))
        }
    }

    @Test func participantIdValidatesBothParts() throws {
        let id = try ParticipantID(validatingFederation: "thueringen", member: "jena")
        #expect(id.urn == "urn:verbund:thueringen:jena")
        #expect(throws: IdentifierError.self) { try ParticipantID(validatingFederation: "Th", member: "jena") }
        #expect(throws: IdentifierError.self) { try ParticipantID(validatingFederation: "th", member: "a:b") }
    }
}

@Suite struct MunicipalityKeyTests {
    @Test(arguments: ["16053000", "01001000", "09162000"])
    func acceptsEightDigitsWithLand(_ text: String) throws {
        let key = try MunicipalityKey(text)
        #expect(key.digits == text)
        #expect(key.isWithin(prefix: String(text.prefix(2))))
    }

    @Test(arguments: ["1605300", "160530000", "1605300a", "00123456", "17000000", "", " 16053000"])
    func refusesMalformedKeys(_ text: String) {
        #expect(throws: MunicipalityKeyError.self) { try MunicipalityKey(text) }
    }

    @Test func decodingRefusesMalformedKey() {
        #expect(throws: DecodingError.self) {
            try RegistryJSON.decode([MunicipalityKey].self, from: Array(#"["1234"]"#.utf8))
        }
    }
}

@Suite struct MemberRoleTests {
    @Test func parsesListsSortedAndDeduplicated() throws {
        #expect(try MemberRole.parseList("provider,consumer").get() == [.consumer, .provider])
        #expect(try MemberRole.parseList(" provider , provider").get() == [.provider])
    }

    @Test func refusesUnknownRole() {
        guard case let .failure(error) = MemberRole.parseList("provider,admin") else {
            Issue.record("an unknown role was accepted")
            return
        }
        #expect(error.word == "admin")
        #expect(error.description.contains("provider, consumer"))
    }
}
