import Foundation
import VerbundDataspace

/// A published dataset as the management API shows it: its metadata, file and each offer with its terms in words.
package struct PublishedDatasetSummary: Sendable, Hashable, Codable {
    package struct OfferSummary: Sendable, Hashable, Codable {
        package var id: String
        package var terms: String
        package var policy: Offer
    }

    package var id: String
    package var title: String
    package var description: String?
    package var keywords: [String]
    package var themes: [String]
    package var license: String?
    package var mediaType: String?
    package var byteSize: Int64?
    package var sha256: String?
    package var file: String
    package var issued: Date?
    package var offers: [OfferSummary]
    /// The version served now (SHA-256 of its snapshot), when it was published, and the refresh state.
    package var version: String?
    package var modified: Date?
    package var refreshEvery: String?
    package var accrualPeriodicity: String?
    package var lastRefreshAttempt: Date?
    /// Why the last refresh failed (the previous version is still served), nil when it did not.
    package var lastRefreshError: String?
    /// `file` or `api`; for `api`, the upstream declaration: base, allow-list, bounds and the credential and CA file
    /// paths — never a credential.
    package var kind: String?
    package var upstream: DatasetUpstream?
    /// Whether it is listed on the public listener (transparency page and DCAT-AP.de harvest endpoint).
    package var transparency: Bool?
    /// `dct:temporal`, `dct:accessRights` and `dct:conformsTo` as published.
    package var temporal: DatasetRecord.TemporalCoverage?
    package var accessRights: String?
    package var conformsTo: [String]?
    /// Maintainer, originator, planned availability, identifier and contributor ID as published.
    package var maintainer: DatasetMetadata.Agent?
    package var originator: DatasetMetadata.Agent?
    package var availability: String?
    package var identifier: String?
    package var contributorID: String?
    /// Open data (served without a contract at `GET /open/<id>` on the public listener) and its downloads so far.
    package var open: Bool?
    package var openDownloads: Int64?

    package init(_ dataset: PublishedDataset) {
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
        file = dataset.refresh?.source ?? dataset.filePath
        issued = record.issued
        offers = record.offers.map { OfferSummary(id: $0.id, terms: PolicyDescription.describe($0), policy: $0) }
        version = dataset.refresh.map(\.served) ?? record.version ?? record.checksumSHA256
        modified = record.modified
        refreshEvery = dataset.refresh?.every?.description
        accrualPeriodicity = record.accrualPeriodicity
        lastRefreshAttempt = dataset.refresh?.attemptedAt
        lastRefreshError = dataset.refresh?.error
        kind = (dataset.record.kind ?? (dataset.upstream == nil ? .file : .api)).rawValue
        upstream = dataset.upstream
        transparency = dataset.listed
        temporal = record.temporal
        accessRights = record.metadata?.accessRights
        conformsTo = record.metadata?.conformsTo
        maintainer = record.metadata?.maintainer
        originator = record.metadata?.originator
        availability = record.metadata?.availability
        identifier = record.metadata?.identifier
        contributorID = record.metadata?.contributorID
        open = dataset.open
        openDownloads = dataset.open ? dataset.openDownloads : nil
        if upstream != nil {
            version = nil
            refreshEvery = nil
            lastRefreshAttempt = nil
            lastRefreshError = nil
        }
    }
}
