import Foundation
import Testing
@testable import VerbundDataspace

@Suite("ODRL policy validation, normalisation and description")
struct PolicyValidationTests {
    private func validation(_ policy: Offer) -> PolicyValidationError? {
        do {
            try PolicyValidator.validate(policy)
            return nil
        } catch {
            return error
        }
    }

    private func offer(_ constraints: Constraint..., action: String = "use") -> Offer {
        Offer(id: "urn:o", permission: [Rule(action: action, constraint: constraints)])
    }

    @Test("a supported policy validates")
    func supported() throws {
        try PolicyValidator.validate(Samples.offer)
        try PolicyValidator.validate(Samples.agreement)
        try PolicyValidator.validate(offer(.logical(.or, [
            .atomic("purpose", "isAnyOf", .list([.string("a"), .string("b")])),
            .atomic(DSPVocabulary.memberOperand, "eq", .reference("urn:verbund:t:jena")),
        ])))
    }

    @Test("unsupported parts are refused with their name and position", arguments: [
        (Rule(action: "read"), "permission[0].action", "\"read\""),
        (Rule(action: "distribute"), "permission[0].action", "\"distribute\""),
        (Rule(action: "use", constraint: [.atomic("spatial", "eq", .string("EU"))]),
         "permission[0].constraint[0]", "leftOperand \"spatial\""),
        (Rule(action: "use", constraint: [.atomic("purpose", "like", .string("x"))]),
         "permission[0].constraint[0]", "operator \"like\""),
        (Rule(action: "use", constraint: [.atomic("dateTime", "eq", .string("2027-01-01"))]),
         "permission[0].constraint[0]", "operator \"eq\" is not supported for leftOperand \"dateTime\""),
        (Rule(action: "use", constraint: [.atomic("count", "term-lteq", .string("3"))]),
         "permission[0].constraint[0]", "operator \"term-lteq\""),
        (Rule(action: "use", constraint: [.atomic("count", "lteq", .string("-1"))]),
         "permission[0].constraint[0]", "rightOperand \"-1\" of \"count\""),
        (Rule(action: "use", constraint: [.atomic("dateTime", "lt", .string("next year"))]),
         "permission[0].constraint[0]", "xsd:dateTime"),
        (Rule(action: "use", constraint: [.atomic("elapsedTime", "lt", .string("P1M"))]),
         "permission[0].constraint[0]", "years or months"),
        (Rule(action: "use", constraint: [.atomic("elapsedTime", "lt", .string("30 days"))]),
         "permission[0].constraint[0]", "ISO 8601 duration"),
        (Rule(action: "use", constraint: [.atomic(DSPVocabulary.regionOperand, "eq", .string("Thüringen"))]),
         "permission[0].constraint[0]", "AGS prefixes"),
        (Rule(action: "use", constraint: [.atomic("purpose", "eq", .list([.string("a"), .string("b")]))]),
         "permission[0].constraint[0]", "single value"),
        (Rule(action: "use", constraint: [.logical(.and, [.atomic("purpose", "eq", .string("a")),
                                                          .atomic("partner", "eq", .string("gold"))])]),
         "permission[0].constraint[0].and[1]", "leftOperand \"partner\""),
        (Rule(action: "use", constraint: [.logical(.xone, [])]), "permission[0].constraint[0]", "\"xone\" has no"),
        (Rule(action: "use", duty: [Rule(action: "attribute")]), "permission[0].duty[0]", "duties"),
    ])
    func refused(rule: Rule, path: String, fragment: String) throws {
        let error = try #require(validation(Offer(id: "urn:o", permission: [rule])))
        #expect(error.path == path)
        #expect(error.description.contains(fragment), "\(error.description)")
    }

    @Test("policies without permission, or with obligations, are refused")
    func structure() throws {
        #expect(validation(Offer(id: "urn:o"))?.problem == .noPermission)
        let obligation = Offer(id: "urn:o", permission: [Rule(action: "use")], obligation: [Rule(action: "delete")])
        #expect(validation(obligation)?.problem == .unsupportedObligation)
        let prohibited = Offer(id: "urn:o", permission: [Rule(action: "use")], prohibition: [Rule(action: "sell")])
        #expect(validation(prohibited)?.path == "prohibition[0].action")
        #expect(PolicyValidator.problems(in: Offer(id: "urn:o", permission: [
            Rule(action: "read", constraint: [.atomic("spatial", "eq", .string("x"))]),
        ])).count == 2)
    }

    @Test("numbers written by people become strings on decode")
    func numbersNormalised() throws {
        let json = #"""
        {"@id":"urn:o","@type":"Offer","permission":[{"action":"use","constraint":[
          {"leftOperand":"count","operator":"lteq","rightOperand":5},
          {"leftOperand":"count","operator":"lt","rightOperand":{"@value":7,"@type":"xsd:integer"}},
          {"leftOperand":"purpose","operator":"isAnyOf","rightOperand":[1.5,"x",{"@id":"urn:p"}]}]}]}
        """#
        let offer = try DSPJSON.decode(Offer.self, from: Data(json.utf8))
        let constraints = offer.permission[0].constraint
        #expect(constraints[0] == .atomic("count", "lteq", .string("5")))
        #expect(constraints[1] == .atomic("count", "lt", .typed(value: "7", type: "xsd:integer")))
        #expect(constraints[2] == .atomic("purpose", "isAnyOf", .list([.string("1.5"), .string("x"), .reference("urn:p")])))
        let text = String(decoding: try DSPJSON.encode(offer), as: UTF8.self)
        #expect(text.contains(#""rightOperand":"5""#))
        #expect(text.contains(#""rightOperand":{"@type":"xsd:integer","@value":"7"}"#))
    }

    @Test("dateTime operands are normalised to UTC with seconds")
    func datesNormalised() throws {
        let policy = offer(
            .atomic("dateTime", "lt", .string("2027-01-01")),
            .atomic("dateTime", "gteq", .typed(value: "2026-06-01T02:00+02:00", type: "xsd:date")),
            .atomic("odrl:dateTime", "lteq", .string("2023-12-31T06:00Z")),
            .atomic("purpose", "eq", .string("2027-01-01")),
            .atomic("dateTime", "lt", .string("not a date")))
        let constraints = policy.normalized().permission[0].constraint
        #expect(constraints[0] == .atomic("dateTime", "lt", .string("2027-01-01T00:00:00Z")))
        #expect(constraints[1] == .atomic("dateTime", "gteq", .typed(value: "2026-06-01T00:00:00Z", type: "xsd:dateTime")))
        #expect(constraints[2] == .atomic("odrl:dateTime", "lteq", .string("2023-12-31T06:00:00Z")))
        #expect(constraints[3] == .atomic("purpose", "eq", .string("2027-01-01")), "only dateTime operands are dates")
        #expect(constraints[4] == .atomic("dateTime", "lt", .string("not a date")), "left for validation to name")
    }

    @Test("bad right operands and constraints do not decode")
    func badShapes() {
        for json in [
            #"{"leftOperand":"count","operator":"lteq","rightOperand":true}"#,
            #"{"leftOperand":"count","operator":"lteq","rightOperand":{"foo":1}}"#,
            #"{"leftOperand":"count","operator":"lteq"}"#,
            #"{"and":[],"or":[]}"#,
        ] {
            #expect(throws: (any Error).self, "\(json)") { try DSPJSON.decode(Constraint.self, from: Data(json.utf8)) }
        }
    }

    @Test("plain-words descriptions for catalog listings")
    func description() {
        let policy = offer(
            .atomic(DSPVocabulary.memberOperand, "isAnyOf", .list([.string("jena"), .string("erfurt")])),
            .atomic("count", "lteq", .string("3")),
            .atomic("dateTime", "lt", .string("2027-01-01T00:00:00Z")))
        #expect(PolicyDescription.describe(policy)
            == "use; only members jena, erfurt; at most 3 transfers; until 2027-01-01")
        #expect(PolicyDescription.describe(offer(.atomic(DSPVocabulary.regionOperand, "eq", .string("16")),
                                                 .atomic("elapsedTime", "lteq", .string("P30D")),
                                                 .atomic("purpose", "eq", .string("research"))))
            == "use; only region 16 (Thüringen); for 30 days after agreement; purpose research")
        #expect(PolicyDescription.describe(offer(.atomic("spatial", "eq", .string("EU")), action: "read"))
            == "read (unsupported); unsupported constraint spatial eq EU")
        #expect(PolicyDescription.describe(offer(.logical(.or, [
            .atomic(DSPVocabulary.regionOperand, "isNoneOf", .list([.string("09")])),
            .atomic("count", "lt", .string("2")),
        ]))) == "use; (not for region 09 (Bayern) or at most 1 transfer)")
    }

    @Test("xsd:dateTime parsing and formatting", arguments: [
        ("2027-01-01", "2027-01-01T00:00:00Z"),
        ("2026-03-10T12:00:00Z", "2026-03-10T12:00:00Z"),
        ("2026-03-10T12:00Z", "2026-03-10T12:00:00Z"),
        ("2026-03-10T12:00:00+01:00", "2026-03-10T11:00:00Z"),
        ("2026-03-10T00:30:00-01:00", "2026-03-10T01:30:00Z"),
        ("2024-02-29T23:59:59.250Z", "2024-02-29T23:59:59.250Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("2026-12-31T24:00:00Z", "2027-01-01T00:00:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
    ])
    func dateTime(input: String, output: String) throws {
        let date = try #require(XSDDateTime.parse(input))
        #expect(XSDDateTime.format(date) == output)
    }

    @Test("invalid xsd:dateTime values are refused", arguments: [
        "", "2027", "2027-13-01", "2025-02-29", "2027-01-01T25:00:00Z", "2027-01-01T12:00:00+15:00",
        "2027-01-01T12:00:00ZZ", "2027-01-01 12:00:00", "2027-01-01T24:01:00Z", "27-01-01",
        // Outside the years 0001–9999 in UTC, which `format` could not write back readably (fuzz target xsd-datetime).
        "0000-01-01T00:00:00+14:00", "0000-12-31T23:59:59Z", "9999-12-31T24:00:00Z", "9999-12-31T23:00:00-01:00",
    ])
    func badDateTime(input: String) {
        #expect(XSDDateTime.parse(input) == nil)
    }

    @Test("ISO 8601 durations", arguments: [
        ("P30D", 2_592_000.0), ("PT1H", 3600), ("P1W", 604_800), ("P1DT12H", 129_600), ("PT1M30S", 90), ("PT0.5S", 0.5),
    ])
    func duration(text: String, seconds: Double) throws {
        #expect(try ISO8601Duration(text).seconds == seconds)
    }

    @Test("invalid or calendar-dependent durations are refused", arguments: [
        "P", "PT", "30D", "P1H", "PT1D", "P1DT", "P-1D", "PT1H1H", "P1M", "P1Y", "P1D2",
    ])
    func badDuration(text: String) {
        #expect(throws: ISO8601Duration.ParseError.self) { try ISO8601Duration(text) }
    }

    /// Found by the `iso-duration` fuzz target: a peer's `P888…8W` overflowed Int64 when an agreement was described.
    @Test("durations beyond 10000 years are refused, not trapped on", arguments: [
        "P" + String(repeating: "8", count: 60) + "W", "P" + String(repeating: "9", count: 400) + "D", "PT9223372036854775808S",
        "P3652501D",
    ])
    func hugeDuration(text: String) {
        #expect(throws: ISO8601Duration.ParseError.tooLong(text)) { try ISO8601Duration(text) }
        // Described (as unsupported) instead of trapping, as when a peer's agreement is shown or audited.
        #expect(PolicyDescription.describe(Constraint.atomic("elapsedTime", "lteq", .string(text))).contains(text))
    }

    @Test func longestDurationIsDescribed() throws {
        #expect(try ISO8601Duration("P3652500D").description == "3652500 days")
    }
}
