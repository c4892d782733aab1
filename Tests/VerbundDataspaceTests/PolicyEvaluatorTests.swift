import Foundation
import Testing
@testable import VerbundDataspace

private let agreedAt = XSDDateTime.parse("2026-03-01T00:00:00Z")!

private func makeContext(
    phase: EvaluationContext.Phase = .transfer, now: String = "2026-03-10T12:00:00Z", ags: String? = "16053000",
    purpose: String? = "research", completed: Int = 0, member: String = "jena"
) -> EvaluationContext {
    EvaluationContext(memberID: member, participantID: "urn:verbund:thueringen:\(member)", ags: ags, purpose: purpose,
                      now: XSDDateTime.parse(now)!, agreementTimestamp: agreedAt, completedTransfers: completed,
                      phase: phase)
}

private func offer(_ constraints: Constraint..., action: String = "use") -> Offer {
    Offer(id: "urn:uuid:o", permission: [Rule(action: action, constraint: constraints)])
}

private func reasons(_ decision: PolicyDecision) -> [String] {
    if case .deny(let reasons) = decision { return reasons }
    return []
}

/// One constraint, the context it is evaluated in, and whether it must permit.
struct ConstraintCase: Sendable, CustomTestStringConvertible {
    let name: String
    let constraint: Constraint
    let context: EvaluationContext
    let permits: Bool
    var testDescription: String { "\(name) → \(permits ? "permit" : "deny")" }

    static let all: [ConstraintCase] = [
        // dateTime: checked in every phase.
        .init(name: "dateTime lt future", constraint: .atomic("dateTime", "lt", .string("2027-01-01T00:00:00Z")),
              context: makeContext(), permits: true),
        .init(name: "dateTime lt past", constraint: .atomic("dateTime", "lt", .string("2026-03-01T00:00:00Z")),
              context: makeContext(), permits: false),
        .init(name: "dateTime lt past at negotiation",
              constraint: .atomic("dateTime", "lt", .string("2026-03-01T00:00:00Z")),
              context: makeContext(phase: .negotiation), permits: false),
        .init(name: "dateTime lteq equal instant", constraint: .atomic("dateTime", "lteq", .string("2026-03-10T12:00:00Z")),
              context: makeContext(), permits: true),
        .init(name: "dateTime gt past", constraint: .atomic("odrl:dateTime", "gt", .string("2026-01-01")),
              context: makeContext(), permits: true),
        .init(name: "dateTime gteq future", constraint: .atomic("dateTime", "gteq",
              .typed(value: "2026-04-01T00:00:00+02:00", type: "xsd:dateTime")), context: makeContext(), permits: false),
        .init(name: "dateTime gt future (full IRI)",
              constraint: .atomic("http://www.w3.org/ns/odrl/2/dateTime", "gt", .string("2026-12-01T00:00Z")),
              context: makeContext(), permits: false),
        // elapsedTime: holds at negotiation, measured from the agreement afterwards.
        .init(name: "elapsedTime lteq P30D within", constraint: .atomic("elapsedTime", "lteq", .string("P30D")),
              context: makeContext(), permits: true),
        .init(name: "elapsedTime lteq P5D exceeded", constraint: .atomic("elapsedTime", "lteq", .string("P5D")),
              context: makeContext(), permits: false),
        .init(name: "elapsedTime lt PT1H exceeded at data request", constraint: .atomic("elapsedTime", "lt", .string("PT1H")),
              context: makeContext(phase: .dataRequest), permits: false),
        .init(name: "elapsedTime exceeded but negotiating", constraint: .atomic("elapsedTime", "lt", .string("PT1H")),
              context: makeContext(phase: .negotiation), permits: true),
        // count: completed + this transfer within the limit.
        .init(name: "count lteq 3 with 2 done", constraint: .atomic("count", "lteq", .string("3")),
              context: makeContext(completed: 2), permits: true),
        .init(name: "count lteq 3 with 3 done", constraint: .atomic("count", "lteq", .string("3")),
              context: makeContext(completed: 3), permits: false),
        .init(name: "count lt 3 with 2 done", constraint: .atomic("count", "lt", .string("3")),
              context: makeContext(completed: 2), permits: false),
        .init(name: "count lt 3 with 1 done", constraint: .atomic("count", "lt", .typed(value: "3", type: "xsd:integer")),
              context: makeContext(completed: 1), permits: true),
        .init(name: "count exhausted but negotiating", constraint: .atomic("count", "lteq", .string("1")),
              context: makeContext(phase: .negotiation, completed: 9), permits: true),
        // purpose
        .init(name: "purpose eq match", constraint: .atomic("purpose", "eq", .string("research")),
              context: makeContext(), permits: true),
        .init(name: "purpose eq mismatch", constraint: .atomic("purpose", "eq", .string("planning")),
              context: makeContext(), permits: false),
        .init(name: "purpose eq none given", constraint: .atomic("purpose", "eq", .string("research")),
              context: makeContext(purpose: nil), permits: false),
        .init(name: "purpose isAnyOf match", constraint: .atomic("purpose", "isAnyOf",
              .list([.string("planning"), .string("research")])), context: makeContext(), permits: true),
        .init(name: "purpose isNoneOf listed", constraint: .atomic("purpose", "isNoneOf",
              .list([.string("marketing"), .string("research")])), context: makeContext(), permits: false),
        .init(name: "purpose neq other", constraint: .atomic("purpose", "neq", .string("marketing")),
              context: makeContext(), permits: true),
        // region by AGS prefix
        .init(name: "region eq 16 for Jena", constraint: .atomic(DSPVocabulary.regionOperand, "eq", .string("16")),
              context: makeContext(), permits: true),
        .init(name: "region eq 16 for Bielefeld", constraint: .atomic(DSPVocabulary.regionOperand, "eq", .string("16")),
              context: makeContext(ags: "05711000"), permits: false),
        .init(name: "region isAnyOf 05,16", constraint: .atomic(DSPVocabulary.regionOperand, "isAnyOf",
              .list([.string("05"), .string("16")])), context: makeContext(ags: "05711000"), permits: true),
        .init(name: "region isPartOf 16053", constraint: .atomic(DSPVocabulary.regionOperand, "isPartOf",
              .string("16053")), context: makeContext(), permits: true),
        .init(name: "region isNoneOf 16", constraint: .atomic(DSPVocabulary.regionOperand, "isNoneOf",
              .list([.string("16")])), context: makeContext(), permits: false),
        .init(name: "region neq 09", constraint: .atomic(DSPVocabulary.regionOperand, "neq", .string("09")),
              context: makeContext(), permits: true),
        .init(name: "region without AGS", constraint: .atomic(DSPVocabulary.regionOperand, "eq", .string("16")),
              context: makeContext(ags: nil), permits: false),
        // member
        .init(name: "member eq jena", constraint: .atomic(DSPVocabulary.memberOperand, "eq", .string("jena")),
              context: makeContext(), permits: true),
        .init(name: "member isAnyOf by participant id", constraint: .atomic(DSPVocabulary.memberOperand, "isAnyOf",
              .list([.string("urn:verbund:thueringen:jena"), .string("weimar")])), context: makeContext(), permits: true),
        .init(name: "member isAnyOf other", constraint: .atomic(DSPVocabulary.memberOperand, "isAnyOf",
              .list([.string("erfurt"), .string("weimar")])), context: makeContext(), permits: false),
        .init(name: "member neq jena", constraint: .atomic(DSPVocabulary.memberOperand, "neq", .string("jena")),
              context: makeContext(), permits: false),
        .init(name: "member isNoneOf others", constraint: .atomic(DSPVocabulary.memberOperand, "isNoneOf",
              .list([.string("erfurt")])), context: makeContext(), permits: true),
    ]
}

@Suite("ODRL policy evaluation")
struct PolicyEvaluatorTests {
    @Test("each operand and operator permits and denies", arguments: ConstraintCase.all)
    func constraint(_ testCase: ConstraintCase) throws {
        let policy = offer(testCase.constraint)
        try PolicyValidator.validate(policy)
        let decision = PolicyEvaluator.evaluate(policy, in: testCase.context)
        #expect(decision.isPermitted == testCase.permits)
        if !testCase.permits {
            let text = reasons(decision)
            #expect(text.count == 1 && !text[0].isEmpty)
        }
    }

    @Test("deny reasons say what a person needs to know")
    func readableReasons() {
        let region = PolicyEvaluator.evaluate(offer(.atomic(DSPVocabulary.regionOperand, "eq", .string("16"))),
                                              in: makeContext(ags: "05916000"))
        #expect(reasons(region) == ["Dataset is limited to region 16 (Thüringen); your AGS 05916000 is not in it"])
        let count = PolicyEvaluator.evaluate(offer(.atomic("count", "lteq", .string("3"))), in: makeContext(completed: 3))
        #expect(reasons(count) == ["At most 3 transfers are allowed under this contract; 3 used already"])
        let until = PolicyEvaluator.evaluate(offer(.atomic("dateTime", "lt", .string("2026-01-01"))), in: makeContext())
        #expect(reasons(until) == ["Use of this dataset ended at 2026-01-01T00:00:00Z; it is now 2026-03-10T12:00:00Z"])
        let elapsed = PolicyEvaluator.evaluate(offer(.atomic("elapsedTime", "lteq", .string("P1D"))), in: makeContext())
        #expect(reasons(elapsed).first?.contains("1 day") == true)
    }

    @Test("logical constraints: and, andSequence, or, xone")
    func logical() {
        let inRegion = Constraint.atomic(DSPVocabulary.regionOperand, "eq", .string("16"))
        let otherRegion = Constraint.atomic(DSPVocabulary.regionOperand, "eq", .string("09"))
        let research = Constraint.atomic("purpose", "eq", .string("research"))
        let c = makeContext()
        #expect(PolicyEvaluator.evaluate(offer(.logical(.and, [inRegion, research])), in: c) == .permit)
        #expect(!PolicyEvaluator.evaluate(offer(.logical(.and, [inRegion, otherRegion])), in: c).isPermitted)
        #expect(PolicyEvaluator.evaluate(offer(.logical(.andSequence, [research, inRegion])), in: c) == .permit)
        #expect(PolicyEvaluator.evaluate(offer(.logical(.or, [otherRegion, inRegion])), in: c) == .permit)
        let neither = PolicyEvaluator.evaluate(offer(.logical(.or, [otherRegion, otherRegion])), in: c)
        #expect(reasons(neither).first?.hasPrefix("None of the alternatives holds") == true)
        #expect(PolicyEvaluator.evaluate(offer(.logical(.xone, [otherRegion, inRegion])), in: c) == .permit)
        #expect(reasons(PolicyEvaluator.evaluate(offer(.logical(.xone, [research, inRegion])), in: c))
            == ["2 of the exclusive alternatives hold, but exactly one must"])
        #expect(!PolicyEvaluator.evaluate(offer(.logical(.and, [])), in: c).isPermitted)
        // Nested: (region 09 and research) or region 16.
        let nested = Constraint.logical(.or, [.logical(.and, [otherRegion, research]), inRegion])
        #expect(PolicyEvaluator.evaluate(offer(nested), in: c) == .permit)
    }

    @Test("several permissions are alternatives; prohibitions override them")
    func rules() {
        var policy = Offer(id: "urn:o", permission: [
            Rule(action: "use", constraint: [.atomic(DSPVocabulary.memberOperand, "eq", .string("erfurt"))]),
            Rule(action: "odrl:use", constraint: [.atomic(DSPVocabulary.regionOperand, "eq", .string("16"))]),
        ])
        #expect(PolicyEvaluator.evaluate(policy, in: makeContext()) == .permit)
        #expect(reasons(PolicyEvaluator.evaluate(policy, in: makeContext(ags: "09162000"))).count == 2)
        policy.prohibition = [Rule(action: "use", constraint: [.atomic("purpose", "eq", .string("research"))])]
        #expect(reasons(PolicyEvaluator.evaluate(policy, in: makeContext()))
            == ["Prohibited: use; purpose research"])
        #expect(PolicyEvaluator.evaluate(policy, in: makeContext(purpose: "planning")) == .permit)
        #expect(!PolicyEvaluator.evaluate(Offer(id: "urn:empty"), in: makeContext()).isPermitted)
    }

    @Test("fail closed: unknown parts deny even without validation")
    func failClosed() {
        let c = makeContext()
        let unknownOperand = PolicyEvaluator.evaluate(offer(.atomic("spatial", "eq", .string("EU"))), in: c)
        #expect(reasons(unknownOperand).first?.contains("\"spatial\"") == true)
        let unknownOperator = PolicyEvaluator.evaluate(offer(.atomic("purpose", "matches", .string("r.*"))), in: c)
        #expect(reasons(unknownOperator).first?.contains("\"matches\"") == true)
        let meaninglessOperator = PolicyEvaluator.evaluate(offer(.atomic("count", "gt", .string("1"))), in: c)
        #expect(!meaninglessOperator.isPermitted)
        let badValue = PolicyEvaluator.evaluate(offer(.atomic("count", "lteq", .string("three"))), in: c)
        #expect(!badValue.isPermitted)
        let read = PolicyEvaluator.evaluate(offer(action: "read"), in: c)
        #expect(reasons(read) == ["Action \"read\" is not supported; Verbund grants only \"use\""])
        // An unknown constraint inside "or" cannot make it true by itself.
        let orUnknown = Constraint.logical(.or, [.atomic("spatial", "eq", .string("EU")),
                                                 .atomic(DSPVocabulary.regionOperand, "eq", .string("09"))])
        #expect(!PolicyEvaluator.evaluate(offer(orUnknown), in: c).isPermitted)
        // A prohibition or obligation the evaluator does not understand denies.
        let unknownProhibition = Offer(id: "urn:o", permission: [Rule(action: "use")],
                                       prohibition: [Rule(action: "use", constraint: [.atomic("spatial", "eq", .string("EU"))])])
        #expect(!PolicyEvaluator.evaluate(unknownProhibition, in: c).isPermitted)
        let obligation = Offer(id: "urn:o", permission: [Rule(action: "use")], obligation: [Rule(action: "delete")])
        #expect(!PolicyEvaluator.evaluate(obligation, in: c).isPermitted)
        let duty = Offer(id: "urn:o", permission: [Rule(action: "use", duty: [Rule(action: "attribute")])])
        #expect(!PolicyEvaluator.evaluate(duty, in: c).isPermitted)
        // An agreement without a timestamp cannot satisfy elapsedTime after negotiation.
        var noTimestamp = c
        noTimestamp.agreementTimestamp = nil
        #expect(!PolicyEvaluator.evaluate(offer(.atomic("elapsedTime", "lt", .string("P30D"))), in: noTimestamp).isPermitted)
    }

    @Test("agreements evaluate like offers, with elapsedTime from their timestamp")
    func agreement() throws {
        let agreement = Agreement(id: "urn:a", target: "urn:d", assigner: "urn:p", assignee: "urn:c", timestamp: agreedAt,
                                  permission: [Rule(action: "use", constraint: [.atomic("elapsedTime", "lt", .string("P7D"))])])
        #expect(agreement.agreedAt == agreedAt)
        var c = makeContext(now: "2026-03-05T00:00:00Z")
        c.agreementTimestamp = agreement.agreedAt
        #expect(PolicyEvaluator.evaluate(agreement, in: c) == .permit)
        c.now = XSDDateTime.parse("2026-03-08T00:00:01Z")!
        #expect(!PolicyEvaluator.evaluate(agreement, in: c).isPermitted)
    }
}
