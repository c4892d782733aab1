import Foundation
import VerbundDataspace

/// The DCAT-AP.de fields of a publication beyond the DSP ones, checked before anything is stored: themes from the EU
/// data-theme vocabulary, a licence of the dcat-ap.de vocabulary (`DCATLicence`), a contact point a person can reach
/// (DCAT-AP.de 2.0 convention K01: an email address or a contact form), web pages as absolute http(s) IRIs, and
/// bounded text. Each refusal names the field.
extension DatasetPublication {
    static let dataThemes = "http://publications.europa.eu/resource/authority/data-theme/"
    static let maximumThemes = 13
    static let maximumText = 10_000

    /// The themes (`theme` first, then `themes`, without repeats) and the further metadata, nil when none is given.
    func checkedMetadata() throws(CatalogPublishError) -> (themes: [String], metadata: DatasetMetadata?) {
        var themes: [String] = []
        for theme in [theme].compactMap({ $0 }) + self.themes where !themes.contains(theme) {
            let code = theme.hasPrefix(Self.dataThemes) ? theme.dropFirst(Self.dataThemes.count) : ""
            guard !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0 == "_") }) else {
                throw .invalidField(name: "themes", reason: "'\(Self.printable(theme))' is not an EU data theme; use "
                    + "\(Self.dataThemes)<CODE>, e.g. \(Self.dataThemes)TRAN")
            }
            themes.append(theme)
        }
        guard themes.count <= Self.maximumThemes else {
            throw .invalidField(name: "themes", reason: "at most \(Self.maximumThemes) themes (the EU vocabulary has 13)")
        }
        if let license, !DCATLicence.isKnown(license) {
            throw .invalidField(name: "license", reason: "'\(Self.printable(license))' is not in the dcat-ap.de licence "
                + "vocabulary (\(DCATLicence.vocabularyVersion)); use e.g. http://dcat-ap.de/def/licenses/dl-by-de/2.0, "
                + "http://dcat-ap.de/def/licenses/dl-zero-de/2.0 or http://dcat-ap.de/def/licenses/cc-by/4.0")
        }
        for (name, text) in [("title", title), ("description", description), ("titleEnglish", titleEnglish),
                             ("descriptionEnglish", descriptionEnglish)] {
            if let text, text.count > Self.maximumText {
                throw .invalidField(name: name, reason: "at most \(Self.maximumText) characters")
            }
        }
        try Self.checkWebPage(landingPage, field: "landingPage")
        var contact: DatasetMetadata.ContactPoint?
        if let contactPoint {
            contact = try Self.checked(contactPoint)
        }
        let english = [titleEnglish, descriptionEnglish].map { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0?.isEmpty == true ? nil : $0 }
        let metadata = DatasetMetadata(titleEnglish: english[0], descriptionEnglish: english[1], contactPoint: contact,
                                       landingPage: landingPage, identifier: try checkedIdentifier(),
                                       contributorID: try checkedContributorID(), accessRights: try checkedOpenAccessRights(),
                                       conformsTo: try checkedConformsTo(), availability: try checkedAvailability(),
                                       maintainer: try Self.checked(maintainer, field: "maintainer"),
                                       originator: try Self.checked(originator, field: "originator"))
        return (themes, metadata == DatasetMetadata() ? nil : metadata)
    }

    static let accessRightCodes = ["PUBLIC", "RESTRICTED", "NON_PUBLIC", "CONFIDENTIAL", "SENSITIVE", "NORMAL"]
    static let accessRightBase = "http://publications.europa.eu/resource/authority/access-right/"
    static let maximumConformsTo = 20

    /// `accessRights`: one IRI of the EU access-right vocabulary.
    func checkedAccessRights() throws(CatalogPublishError) -> String? {
        guard let accessRights else { return nil }
        guard accessRights.hasPrefix(Self.accessRightBase),
              Self.accessRightCodes.contains(String(accessRights.dropFirst(Self.accessRightBase.count))) else {
            throw .invalidField(name: "accessRights", reason: "'\(Self.printable(accessRights))' is not an EU access right; use "
                + Self.accessRightCodes.prefix(3).map { Self.accessRightBase + $0 }.joined(separator: ", "))
        }
        return accessRights
    }

    /// `conformsTo`: absolute IRIs without whitespace or characters an IRI cannot hold, at most 20, no repeats.
    func checkedConformsTo() throws(CatalogPublishError) -> [String]? {
        guard !conformsTo.isEmpty else { return nil }
        guard conformsTo.count <= Self.maximumConformsTo else {
            throw .invalidField(name: "conformsTo", reason: "at most \(Self.maximumConformsTo) standards")
        }
        var seen: [String] = []
        for iri in conformsTo where !seen.contains(iri) {
            guard Self.isIRI(iri), iri.count <= 2000,
                  !iri.unicodeScalars.contains(where: { $0.value < 0x20 || "<>\"{}|\\^`".unicodeScalars.contains($0) }) else {
                throw .invalidField(name: "conformsTo", reason: "'\(Self.printable(iri))' is not an absolute IRI (e.g. https://…)")
            }
            seen.append(iri)
        }
        return seen
    }

    /// `temporal`: dates (`YYYY-MM-DD`) or `xsd:dateTime`s, at least one end, the start not after the end.
    func checkedTemporal() throws(CatalogPublishError) -> DatasetRecord.TemporalCoverage? {
        guard let temporal else { return nil }
        func date(_ text: String?, _ field: String) throws(CatalogPublishError) -> Date? {
            guard let text else { return nil }
            guard text.count <= 40, let date = XSDDateTime.parse(text) else {
                throw .invalidField(name: field, reason: "'\(Self.printable(text))' is not a date (YYYY-MM-DD) or an xsd:dateTime")
            }
            return date
        }
        let start = try date(temporal.start, "temporal.start")
        let end = try date(temporal.end, "temporal.end")
        guard start != nil || end != nil else {
            throw .invalidField(name: "temporal", reason: "give a start, an end or both")
        }
        if let start, let end, start > end {
            throw .invalidField(name: "temporal", reason: "the start \(temporal.start ?? "") is after the end \(temporal.end ?? "")")
        }
        return DatasetRecord.TemporalCoverage(start: start, end: end)
    }

    static func checked(_ contact: ContactPoint) throws(CatalogPublishError) -> DatasetMetadata.ContactPoint {
        let name = contact.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw .invalidField(name: "contactPoint.name", reason: "a contact point needs a name (at most 200 characters)")
        }
        guard contact.email != nil || contact.url != nil else {
            throw .invalidField(name: "contactPoint", reason: "give an email address or a contact form URL "
                + "(DCAT-AP.de 2.0 convention K01); a phone number alone is not enough")
        }
        if let email = contact.email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 254,
                  !email.contains(where: { $0.isWhitespace || "<>\"(),;:\\[]".contains($0) }) else {
                throw .invalidField(name: "contactPoint.email", reason: "'\(printable(email))' is not an email address")
            }
        }
        if let phone = contact.phone {
            guard phone.count <= 40, phone.allSatisfy({ $0.isASCII && ($0.isNumber || " +-/()".contains($0)) }),
                  phone.contains(where: \.isNumber) else {
                throw .invalidField(name: "contactPoint.phone", reason: "'\(printable(phone))' is not a phone number "
                    + "(digits, spaces and + - / ( ), e.g. +49 911 231-0)")
            }
        }
        try checkWebPage(contact.url, field: "contactPoint.url")
        return DatasetMetadata.ContactPoint(name: name, email: contact.email, phone: contact.phone, url: contact.url)
    }

    static func checkWebPage(_ url: String?, field: String) throws(CatalogPublishError) {
        guard let url else { return }
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), url.count <= 2000, isIRI(url),
              !url.unicodeScalars.contains(where: { $0.value < 0x20 || "<>\"{}|\\^`".unicodeScalars.contains($0) }) else {
            throw .invalidField(name: field, reason: "'\(printable(url))' is not an http(s) address")
        }
    }
}
