import Testing
@testable import VerbundFederation

@Suite struct ParticipantIDTests {
    @Test func parsesVerbundURN() {
        let id = ParticipantID(urn: "urn:verbund:stadtverbund:jena")
        #expect(id?.federation == "stadtverbund")
        #expect(id?.member == "jena")
        #expect(id?.urn == "urn:verbund:stadtverbund:jena")
    }

    @Test(arguments: ["urn:verbund:stadtverbund", "urn:other:a:b", "urn:verbund::jena", "urn:verbund:a:b:c", ""])
    func rejectsOtherForms(_ text: String) {
        #expect(ParticipantID(urn: text) == nil)
    }
}
