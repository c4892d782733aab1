/// The DCAT-AP.de properties of a dataset beyond those DSP peers read (docs/dcat-ap-de.md lists the mapping). Every
/// field is optional, so records stored before it existed decode unchanged (the record is stored as JSON).
package struct DatasetMetadata: Sendable, Hashable, Codable {
    /// English title and description (`dct:title@en`, `dct:description@en`), beside the German ones.
    package var titleEnglish: String?
    package var descriptionEnglish: String?
    /// `dcat:contactPoint`, a vCard organisation.
    package var contactPoint: ContactPoint?
    /// `dcat:landingPage`: a web page about the dataset.
    package var landingPage: String?
    /// `dct:identifier`; the dataset's IRI when absent.
    package var identifier: String?
    /// `dcatde:contributorID` IRI from the dcat-ap.de contributor list; the catalog's when absent.
    package var contributorID: String?
    /// `dcatde:politicalGeocodingLevelURI`, e.g. `http://dcat-ap.de/def/politicalGeocoding/Level/municipality`;
    /// derived from the spatial key's list when absent.
    package var politicalGeocodingLevel: String?
    /// `dct:accessRights`, an EU access-right IRI (`…/access-right/PUBLIC`, `…/RESTRICTED`).
    package var accessRights: String?
    /// `dct:conformsTo` IRIs (standards or schemas the data follows).
    package var conformsTo: [String]?
    /// `dcatap:availability`, an EU planned-availability IRI.
    package var availability: String?
    /// Who maintains the data and who originated it (foaf:Agent): `dcatde:maintainer`/`dcatde:originator` in
    /// DCAT-AP.de 2.0, `geodcatap:custodian`/`geodcatap:originator` in 3.0 (which deprecates the dcatde terms).
    package var maintainer: Agent?
    package var originator: Agent?
    /// `dct:title` of the distribution; the dataset title when absent.
    package var distributionTitle: String?

    package init(titleEnglish: String? = nil, descriptionEnglish: String? = nil, contactPoint: ContactPoint? = nil,
                 landingPage: String? = nil, identifier: String? = nil, contributorID: String? = nil,
                 politicalGeocodingLevel: String? = nil, accessRights: String? = nil, conformsTo: [String]? = nil,
                 availability: String? = nil, maintainer: Agent? = nil, originator: Agent? = nil,
                 distributionTitle: String? = nil) {
        self.titleEnglish = titleEnglish
        self.descriptionEnglish = descriptionEnglish
        self.contactPoint = contactPoint
        self.landingPage = landingPage
        self.identifier = identifier
        self.contributorID = contributorID
        self.politicalGeocodingLevel = politicalGeocodingLevel
        self.accessRights = accessRights
        self.conformsTo = conformsTo
        self.availability = availability
        self.maintainer = maintainer
        self.originator = originator
        self.distributionTitle = distributionTitle
    }

    /// A vCard contact (`vcard:Organization` with `vcard:fn`, `vcard:hasEmail`, `vcard:hasTelephone`, `vcard:hasURL`
    /// for a contact form).
    package struct ContactPoint: Sendable, Hashable, Codable {
        package var name: String
        package var email: String?
        package var phone: String?
        package var url: String?

        package init(name: String, email: String? = nil, phone: String? = nil, url: String? = nil) {
            self.name = name
            self.email = email
            self.phone = phone
            self.url = url
        }
    }

    /// A person or body named on a dataset (`foaf:Agent` with `foaf:name`, optionally `foaf:mbox` and `foaf:homepage`).
    package struct Agent: Sendable, Hashable, Codable {
        package var name: String
        package var email: String?
        package var homepage: String?

        package init(name: String, email: String? = nil, homepage: String? = nil) {
            self.name = name
            self.email = email
            self.homepage = homepage
        }

        /// Refuses fields it does not know (a misspelt `mail` must not be dropped silently at publish).
        package init(from decoder: any Decoder) throws {
            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
            let container = try decoder.container(keyedBy: Key.self)
            let unknown = container.allKeys.map(\.stringValue).filter { !["name", "email", "homepage"].contains($0) }
            guard unknown.isEmpty else {
                throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription:
                    "unknown agent field \(unknown.sorted().joined(separator: ", ")); known: email, homepage, name"))
            }
            name = try container.decode(String.self, forKey: Key(stringValue: "name"))
            email = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "email"))
            homepage = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "homepage"))
        }
    }
}
