import Foundation
import Testing
@testable import VerbundDataspace

/// The request budget (`https://w3id.org/verbund/odrl/requestsPerDay`) and the dataset kind, as values:
/// docs/policies.md, "Request budget and APIs".
@Suite struct RequestBudgetTests {
    static let iri = "https://w3id.org/verbund/odrl/requestsPerDay"

    func context(_ phase: EvaluationContext.Phase, today: Int?) -> EvaluationContext {
        EvaluationContext(memberID: "weimar", participantID: "urn:verbund:thueringen:weimar", ags: "16055000",
                          now: XSDDateTime.parse("2026-03-10T23:59:59Z")!,
                          agreementTimestamp: XSDDateTime.parse("2026-03-01T00:00:00Z")!, phase: phase,
                          requestsToday: today)
    }

    func offer(_ op: String, _ value: RightOperand) -> Offer {
        Offer(id: "urn:uuid:o", permission: [Rule(action: "use", constraint: [.atomic(Self.iri, op, value)])])
    }

    func reasons(_ decision: PolicyDecision) -> [String] {
        if case .deny(let reasons) = decision { return reasons }
        return []
    }

    @Test func theOperandIsTheFullVerbundIRI() {
        #expect(PolicyOperand(Self.iri) == .requestsPerDay)
        #expect(PolicyOperand("requestsPerDay") == nil)
        #expect(PolicyOperand("odrl:requestsPerDay") == nil)
    }

    @Test func lteqAllowsExactlyTheLimit() {
        let policy = offer("lteq", .typed(value: "3", type: "xsd:integer"))
        #expect(PolicyEvaluator.evaluate(policy, in: context(.dataRequest, today: 0)) == .permit)
        #expect(PolicyEvaluator.evaluate(policy, in: context(.dataRequest, today: 2)) == .permit)
        let denied = reasons(PolicyEvaluator.evaluate(policy, in: context(.dataRequest, today: 3)))
        #expect(denied == ["At most 3 requests per day (UTC) are allowed under this contract; 3 made today, "
            + "the budget renews at 00:00 UTC"])
    }

    @Test func ltAllowsOneLess() {
        let policy = offer("lt", .string("2"))
        #expect(PolicyEvaluator.evaluate(policy, in: context(.dataRequest, today: 0)) == .permit)
        #expect(reasons(PolicyEvaluator.evaluate(policy, in: context(.dataRequest, today: 1)))
            == ["At most 1 request per day (UTC) are allowed under this contract; 1 made today, "
                + "the budget renews at 00:00 UTC"])
    }

    @Test func aZeroBudgetDeniesEveryRequest() {
        #expect(!PolicyEvaluator.evaluate(offer("lteq", .string("0")), in: context(.dataRequest, today: 0)).isPermitted)
    }

    @Test func uncountedRequestsDenyFailClosed() {
        let denied = reasons(PolicyEvaluator.evaluate(offer("lteq", .string("100")), in: context(.dataRequest, today: nil)))
        #expect(denied.count == 1)
        #expect(denied.first?.contains("not counted") == true)
    }

    @Test func negotiationAndTransferStartSpendNothing() {
        let policy = offer("lteq", .string("1"))
        #expect(PolicyEvaluator.evaluate(policy, in: context(.negotiation, today: nil)) == .permit)
        #expect(PolicyEvaluator.evaluate(policy, in: context(.transfer, today: 50)) == .permit)
    }

    @Test(arguments: [
        ("eq", RightOperand.string("5")), ("gt", .string("5")), ("gteq", .string("5")), ("neq", .string("5")),
        ("lteq", .string("-1")), ("lteq", .string("five")), ("lteq", .string("2.5")), ("lteq", .string("")),
        ("lteq", .list([.string("1"), .string("2")])), ("isAnyOf", .list([.string("1")])), ("bogus", .string("1")),
    ])
    func illTypedBudgetsAreRefusedAtPublishAndDenied(op: String, value: RightOperand) {
        let policy = offer(op, value)
        #expect(!PolicyValidator.problems(in: policy).isEmpty)
        #expect(!PolicyEvaluator.evaluate(policy, in: context(.dataRequest, today: 0)).isPermitted)
    }

    @Test func aWellFormedBudgetValidatesAndIsDescribed() throws {
        let policy = offer("lteq", .typed(value: "1000", type: "xsd:integer"))
        try PolicyValidator.validate(policy)
        let checked = try CheckedConstraint.check(
            .init(leftOperand: Self.iri, operator: "lteq", rightOperand: .string("1000"))).get()
        #expect(PolicyDescription.describe(checked) == "at most 1000 requests per day (UTC)")
    }

    @Test func theBudgetDayIsTheCalendarDayInUTC() {
        let late = XSDDateTime.parse("2026-03-10T23:59:59Z")!
        let day = RequestBudgetDay(containing: late)
        #expect(day.start == XSDDateTime.parse("2026-03-10T00:00:00Z")!)
        #expect(day.end == XSDDateTime.parse("2026-03-11T00:00:00Z")!)
        #expect(day.contains(day.start))
        #expect(!day.contains(day.end))
        // Local midnight in Germany is not the boundary: 00:30 CET is still the previous UTC day.
        let cet = XSDDateTime.parse("2026-03-11T00:30:00+01:00")!
        #expect(RequestBudgetDay(containing: cet) == day)
        #expect(RequestBudgetDay(containing: Date(timeIntervalSince1970: -1)).start
            == Date(timeIntervalSince1970: -86_400))
    }

    @Test func theDatasetKindOfADataAddress() throws {
        #expect(DatasetKind(addressValue: nil) == .file)
        #expect(DatasetKind(addressValue: "api") == .api)
        #expect(DatasetKind(addressValue: "file") == .file)
        #expect(DatasetKind(addressValue: "API") == nil)
        #expect(DatasetKind(addressValue: "") == nil)
        // Records stored before the kind existed decode as files (kind nil); an API record keeps its kind.
        var record = DatasetRecord(id: "urn:d", title: "Parken")
        let old = try JSONDecoder().decode(DatasetRecord.self, from: JSONEncoder().encode(record))
        #expect(old.kind == nil)
        record.kind = .api
        let api = try JSONDecoder().decode(DatasetRecord.self, from: JSONEncoder().encode(record))
        #expect(api.kind == .api)
    }
}
