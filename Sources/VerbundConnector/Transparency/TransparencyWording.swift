import Foundation
import VerbundDataspace
import VerbundStore

/// The terms of the public page in plain German and English: the sentences the console's publish preview shows
/// (`ConsolePolicyWords`), for each offer of each listed dataset whose policy the policy builder could have written
/// (`ConsolePublishForm.init?(policy:)`). An offer those sentences cannot express keeps only its technical words
/// (`TransparencyReport.Dataset.terms`, English), so no condition is left out in translation.
enum TransparencyWording {
    /// Adds `wording` to every dataset of `report`, reading the offers of the listed datasets in the same read
    /// transaction as the rest of the report.
    static func add(to report: inout TransparencyReport, catalog: CatalogStore, in transaction: Transaction) throws {
        guard !report.datasets.isEmpty else { return }
        let listed = try catalog.listed(limit: CatalogModule.transparencyLimit, in: transaction)
        let offers = Dictionary(listed.map { ($0.record.id, $0.record.offers) }, uniquingKeysWith: { first, _ in first })
        for index in report.datasets.indices {
            guard let policies = offers[report.datasets[index].id] else { continue }
            report.datasets[index].wording = policies.map(words)
        }
    }

    /// One policy in sentences, or empty lists when the builder's sentences cannot say all of it.
    static func words(_ policy: some Policy) -> TransparencyReport.Wording {
        guard let form = ConsolePublishForm(policy: policy) else { return .init(de: [], en: []) }
        return .init(de: ConsolePolicyWords.sentences(form, .de), en: ConsolePolicyWords.sentences(form, .en))
    }
}
