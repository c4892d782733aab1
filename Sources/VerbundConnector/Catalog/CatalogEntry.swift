import Foundation
import VerbundDataspace

/// One dataset of a peer's or the federated catalog as the management API lists it: who provides it, what it is,
/// and each offer's terms in plain words (`PolicyDescription`).
public struct CatalogEntry: Sendable, Hashable, Codable {
    public struct OfferTerms: Sendable, Hashable, Codable {
        public var id: String
        public var terms: String
        /// The ODRL Offer as the provider's catalog shows it, so a member can forward it (`verbund negotiate
        /// --offer-file`); absent in federated entries stored before it was kept.
        public var policy: Offer?
    }

    /// The provider's member id and name.
    public var provider: String
    public var providerName: String
    public var participantId: String
    public var id: String
    public var title: String
    public var description: String?
    public var keywords: [String]
    public var license: String?
    public var mediaType: String?
    public var byteSize: Int64?
    public var checksumSHA256: String?
    public var offers: [OfferTerms]

    public init(provider: String, providerName: String, participantId: String, dataset: Dataset) {
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
    }
}

/// A list of catalog entries with where they came from (the management answer of peer and federated catalogs).
public struct CatalogListing: Sendable, Codable {
    public var datasets: [CatalogEntry]
    /// Members whose catalog could not be read, with the reason (a live `--peer` fetch or the crawl state).
    public var problems: [String: String]

    public init(datasets: [CatalogEntry], problems: [String: String] = [:]) {
        self.datasets = datasets
        self.problems = problems
    }
}
