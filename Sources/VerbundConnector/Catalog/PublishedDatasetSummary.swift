import Foundation
import VerbundDataspace

/// A published dataset as the management API shows it: its metadata, file and each offer with its terms in words.
public struct PublishedDatasetSummary: Sendable, Hashable, Codable {
    public struct OfferSummary: Sendable, Hashable, Codable {
        public var id: String
        public var terms: String
        public var policy: Offer
    }

    public var id: String
    public var title: String
    public var description: String?
    public var keywords: [String]
    public var themes: [String]
    public var license: String?
    public var mediaType: String?
    public var byteSize: Int64?
    public var sha256: String?
    public var file: String
    public var issued: Date?
    public var offers: [OfferSummary]

    public init(_ dataset: PublishedDataset) {
        let record = dataset.record
        id = record.id
        title = record.title
        description = record.description
        keywords = record.keywords
        themes = record.themes
        license = record.license
        mediaType = record.mediaType
        byteSize = record.byteSize
        sha256 = record.checksumSHA256
        file = dataset.filePath
        issued = record.issued
        offers = record.offers.map { OfferSummary(id: $0.id, terms: PolicyDescription.describe($0), policy: $0) }
    }
}
