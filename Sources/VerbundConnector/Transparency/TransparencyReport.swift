import Foundation

/// What the public transparency page shows (docs/operator.md, "The public transparency page"): the datasets the city
/// marked public (`transparency: true` at publish) with their terms in plain words, which members hold contracts for
/// them — aggregated per dataset and partner, with the purposes stated, since when and how many transfers served
/// data — and the newest signed tree head of the connector's log. Each module fills in its part
/// (`ConnectorModule.contributeTransparency`); `listed()` then keeps only what concerns a public dataset.
///
/// It holds nothing secret by construction: no file paths, upstream addresses, credentials, tokens, keys or account
/// names are fields of it, and every text is bounded.
package struct TransparencyReport: Sendable, Equatable, Codable {
    package struct Member: Sendable, Equatable, Codable {
        package var id: String
        package var name: String
    }

    package struct Dataset: Sendable, Equatable, Codable {
        package var id: String
        package var title: String
        package var description: String?
        package var themes: [String]
        package var license: String?
        /// `dct:accessRights` when the city stated one.
        package var accessRights: String?
        /// Each offer's policy in plain words (`PolicyDescription`).
        package var terms: [String]
        package var published: Date?
        /// Each offer's policy in the sentences of the console's publish preview (`ConsolePolicyWords`), in German and
        /// English, in the order of `terms`; both empty for an offer those sentences cannot express (`terms` then
        /// says it). Filled by `TransparencyWording`.
        package var wording: [Wording]? = nil
    }

    /// One offer's policy in sentences, one per condition, all of which hold at once.
    package struct Wording: Sendable, Equatable, Codable {
        package var de: [String]
        package var en: [String]

        package init(de: [String], en: [String]) {
            self.de = de
            self.en = en
        }
    }

    /// The contracts of one partner for one dataset, taken together.
    package struct Partnership: Sendable, Equatable, Codable {
        package var dataset: String
        package var partner: String
        package var partnerName: String
        /// The distinct purposes the partner stated and this city accepted (at most `maximumPurposes`).
        package var purposes: [String]
        /// When the first of these contracts was finalized.
        package var since: Date
        package var contracts: Int
        /// Transfers that served data under these contracts.
        package var transfers: Int
    }

    package struct TreeHead: Sendable, Equatable, Codable {
        package var size: Int
        /// The root hash, lowercase hex.
        package var rootHash: String
        package var timestamp: Date
        /// The signed tree head as a compact JWS, for anyone to verify against the member's certificate.
        package var signed: String
    }

    package static let maximumPurposes = 10
    package static let maximumText = 500

    package var member: Member
    package var generatedAt: Date
    package var datasets: [Dataset] = []
    package var partnerships: [Partnership] = []
    package var treeHead: TreeHead?

    package init(member: Member, generatedAt: Date) {
        self.member = member
        self.generatedAt = generatedAt
    }

    /// Adds one finalized contract: it joins the partnership of its dataset and partner.
    package mutating func addContract(dataset: String, partner: String, purpose: String?, finalizedAt: Date) {
        let purpose = purpose.map { Self.bounded($0) }.flatMap { $0.isEmpty ? nil : $0 }
        if let index = partnerships.firstIndex(where: { $0.dataset == dataset && $0.partner == partner }) {
            partnerships[index].contracts += 1
            partnerships[index].since = min(partnerships[index].since, finalizedAt)
            if let purpose, !partnerships[index].purposes.contains(purpose),
               partnerships[index].purposes.count < Self.maximumPurposes {
                partnerships[index].purposes.append(purpose)
            }
        } else {
            partnerships.append(Partnership(dataset: dataset, partner: partner, partnerName: partner,
                                            purposes: purpose.map { [$0] } ?? [], since: finalizedAt, contracts: 1, transfers: 0))
        }
    }

    /// Adds the count of transfers that served `dataset` to `partner`; ignored when no contract of theirs is listed.
    package mutating func addTransfers(dataset: String, partner: String, count: Int) {
        guard let index = partnerships.firstIndex(where: { $0.dataset == dataset && $0.partner == partner }) else { return }
        partnerships[index].transfers += count
    }

    /// The report as shown: partnerships only for listed datasets, with the partners' names from `names`, sorted by
    /// dataset title and partner; texts bounded.
    package func listed(names: (String) -> String?) -> TransparencyReport {
        var copy = self
        let titles = Dictionary(datasets.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        copy.datasets = datasets.map { dataset in
            var dataset = dataset
            dataset.title = Self.bounded(dataset.title)
            dataset.description = dataset.description.map { Self.bounded($0) }
            dataset.terms = dataset.terms.map { Self.bounded($0) }
            dataset.wording = dataset.wording?.map { Wording(de: $0.de.map { Self.bounded($0) }, en: $0.en.map { Self.bounded($0) }) }
            return dataset
        }.sorted { ($0.title, $0.id) < ($1.title, $1.id) }
        copy.partnerships = partnerships.filter { titles[$0.dataset] != nil }.map { partnership in
            var partnership = partnership
            partnership.partnerName = Self.bounded(names(partnership.partner) ?? partnership.partner)
            return partnership
        }.sorted { (titles[$0.dataset] ?? "", $0.dataset, $0.partnerName) < (titles[$1.dataset] ?? "", $1.dataset, $1.partnerName) }
        return copy
    }

    /// `text` without control characters, at most `maximumText` characters.
    static func bounded(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let trimmed = clean.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.count > maximumText ? String(trimmed.prefix(maximumText - 1)) + "…" : trimmed
    }
}
