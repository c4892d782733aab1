import Foundation
import VerbundDataspace

/// One dataset of a peer's or the federated catalog as the management API lists it: who provides it, what it is,
/// and each offer's terms in plain words (`PolicyDescription`).
package struct CatalogEntry: Sendable, Hashable, Codable {
    package struct OfferTerms: Sendable, Hashable, Codable {
        package var id: String
        package var terms: String
        /// The ODRL Offer as the provider's catalog shows it, so a member can forward it (`verbund negotiate
        /// --offer-file`); absent in federated entries stored before it was kept.
        package var policy: Offer?
    }

    /// The provider's member id and name.
    package var provider: String
    package var providerName: String
    package var participantId: String
    package var id: String
    package var title: String
    package var description: String?
    package var keywords: [String]
    package var license: String?
    package var mediaType: String?
    package var byteSize: Int64?
    package var checksumSHA256: String?
    package var offers: [OfferTerms]
    /// When the provider last published a new version (`dct:modified`) and how often it refreshes
    /// (`dct:accrualPeriodicity`, an EU frequency IRI).
    package var modified: Date?
    package var accrualPeriodicity: String?

    package init(provider: String, providerName: String, participantId: String, dataset: Dataset) {
        let record = DatasetRecord(dataset: dataset)
        self.provider = provider
        self.providerName = providerName
        self.participantId = participantId
        self.id = record.id
        self.title = record.title
        self.description = record.description
        self.keywords = record.keywords
        self.license = record.license
        self.mediaType = record.mediaType
        self.byteSize = record.byteSize
        self.checksumSHA256 = record.checksumSHA256
        self.offers = record.offers.map { OfferTerms(id: $0.id, terms: PolicyDescription.describe($0), policy: $0) }
        self.modified = record.modified
        self.accrualPeriodicity = record.accrualPeriodicity
    }
}

/// A list of catalog entries with where they came from (the management answer of peer and federated catalogs).
package struct CatalogListing: Sendable, Codable {
    package var datasets: [CatalogEntry]
    /// Members whose catalog could not be read, with the reason (a live `--peer` fetch or the crawl state).
    package var problems: [String: String]

    package init(datasets: [CatalogEntry], problems: [String: String] = [:]) {
        self.datasets = datasets
        self.problems = problems
    }
}
