import Foundation
import Testing
import VerbundDataspace
import VerbundJSON
@testable import VerbundConnector

/// The public page's terms in plain German and English: a published policy read back into the policy builder's fields
/// (`ConsolePublishForm.init?(policy:)`) gives the very sentences the publish preview showed; a policy the builder
/// could not have written gives none, and the page shows the technical words instead.
@Suite struct TransparencyWordingTests {
    /// The offer the API makes of the builder's policy, as publishing does (`CatalogPolicyFile.offer`).
    static func offer(_ policy: [String: Any]) throws -> Offer {
        let value = try JSONDecoder().decode(JSONValue.self, from: JSONSerialization.data(withJSONObject: policy))
        return try CatalogPolicyFile.offer(from: value, defaultID: "urn:test:offer").normalized()
    }

    static func form(_ fields: [(String, String)]) -> ConsolePublishForm {
        ConsolePublishForm(fields.map { (name: $0.0, value: $0.1) })
    }

    @Test func aBuiltPolicyReadsBackToTheSentencesOfItsPreview() throws {
        let forms = [
            Self.form([]),
            Self.form([("regions", "16"), ("count", "2"), ("purposes", "Verkehrsplanung")]),
            Self.form([("members", "erfurt, weimar"), ("validFrom", "2026-01-01"), ("validUntil", "2026-12-31")]),
            Self.form([("members", "gera"), ("regions", "16053, 16071"), ("validUntil", "2027-02-28"), ("count", "0"),
                       ("purposes", "Statistik, Planung")]),
            Self.form([("validFrom", "2024-02-29"), ("count", "1")]),
        ]
        for form in forms {
            let read = try #require(ConsolePublishForm(policy: try Self.offer(form.policy)), "\(form.policy)")
            for language in ConsoleLanguage.allCases {
                #expect(ConsolePolicyWords.sentences(read, language) == ConsolePolicyWords.sentences(form, language), "\(form.policy)")
            }
            let words = TransparencyWording.words(try Self.offer(form.policy))
            #expect(words.de == ConsolePolicyWords.sentences(form, .de) && words.en == ConsolePolicyWords.sentences(form, .en))
        }
        let german = TransparencyWording.words(try Self.offer(forms[1].policy)).de
        #expect(german.contains { $0.contains("mit 16 beginnt") } && german.contains { $0.contains("höchstens 2 Übertragungen") })
        // `count lt 3` is "at most 2", as the evaluator counts it.
        let below = try Self.offer(["permission": [["action": "use", "constraint": [["leftOperand": "count", "operator": "lt", "rightOperand": 3]]]]])
        #expect(ConsolePublishForm(policy: below)?.count == "2")
    }

    @Test func aPolicyTheBuilderCouldNotWriteHasNoSentences() throws {
        let use = { (constraints: [[String: Any]]) -> [String: Any] in ["permission": [["action": "use", "constraint": constraints]]] }
        let member = ["leftOperand": "https://w3id.org/verbund/odrl/member", "operator": "eq", "rightOperand": "erfurt"]
        let hostile: [(String, [String: Any])] = [
            ("a prohibition", ["permission": [["action": "use"]], "prohibition": [["action": "use"]]]),
            ("two permissions", ["permission": [["action": "use", "constraint": [member]], ["action": "use"]]]),
            ("a logical constraint", use([["or": [member, member]]])),
            ("a negated member", use([["leftOperand": "https://w3id.org/verbund/odrl/member", "operator": "neq", "rightOperand": "gera"]])),
            ("a negated purpose", use([["leftOperand": "purpose", "operator": "isNoneOf", "rightOperand": ["Werbung"]]])),
            ("the same kind twice", use([member, member])),
            ("a time of day", use([["leftOperand": "dateTime", "operator": "gteq", "rightOperand": "2026-01-01T12:00:00Z"]])),
            ("an after", use([["leftOperand": "dateTime", "operator": "gt", "rightOperand": "2026-01-01T00:00:00Z"]])),
            ("until inclusive", use([["leftOperand": "dateTime", "operator": "lteq", "rightOperand": "2026-01-01T00:00:00Z"]])),
            ("an elapsed time", use([["leftOperand": "elapsedTime", "operator": "lteq", "rightOperand": "P30D"]])),
            ("a request budget", use([["leftOperand": "https://w3id.org/verbund/odrl/requestsPerDay", "operator": "lteq", "rightOperand": 100]])),
            ("a comma in a value", use([["leftOperand": "purpose", "operator": "eq", "rightOperand": "Planung, Werbung"]])),
            ("a duty", ["permission": [["action": "use", "duty": [["action": "use"]]]]]),
        ]
        for (what, policy) in hostile {
            // The API may refuse some of these outright; those it takes must not be put into sentences.
            guard let offer = try? Self.offer(policy) else { continue }
            #expect(ConsolePublishForm(policy: offer) == nil, "\(what)")
            #expect(TransparencyWording.words(offer) == .init(de: [], en: []), "\(what)")
        }
        let unchecked = Offer(id: "urn:test:x", permission: [Rule(action: "distribute")])
        #expect(ConsolePublishForm(policy: unchecked) == nil)
    }

    @Test func thePageShowsTheSentencesAndMarksOnlyTechnicalWordsAsEnglish() throws {
        var report = TransparencyReport(member: .init(id: "jena", name: "Stadt Jena"), generatedAt: Date(timeIntervalSince1970: 1_790_000_000))
        let worded = try Self.offer(Self.form([("regions", "16"), ("count", "2")]).policy)
        report.datasets = [.init(id: "parken", title: "Parken", description: nil, themes: [], license: nil, accessRights: nil,
                                 terms: [PolicyDescription.describe(worded)], published: nil,
                                 wording: [TransparencyWording.words(worded)])]
        let german = TransparencyPage.html(report.listed { _ in nil }, language: .german, dcatPath: "/dcat/catalog")
        #expect(german.contains("<ul class=\"terms\"><li>Nur Mitglieder, deren Amtlicher Gemeindeschlüssel"))
        #expect(german.contains("<li>Je Vertrag sind höchstens 2 Übertragungen erlaubt.</li>"))
        #expect(!german.contains("<p lang=\"en\">") && !german.contains("auf Englisch"))
        let english = TransparencyPage.html(report.listed { _ in nil }, language: .english, dcatPath: "/dcat/catalog")
        #expect(english.contains("<li>Each contract allows at most 2 transfers.</li>"))

        report.datasets[0].wording = [.init(de: [], en: [])]
        let technical = TransparencyPage.html(report.listed { _ in nil }, language: .german, dcatPath: "/dcat/catalog")
        #expect(technical.contains("<p lang=\"en\">use; only") && technical.contains("auf Englisch"))
        #expect(!technical.contains("<ul class=\"terms\">"))
    }
}
