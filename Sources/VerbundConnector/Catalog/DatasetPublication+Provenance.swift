import Foundation
import VerbundDataspace

/// The DCAT-AP.de fields that say who stands behind a dataset and how it may be reached: maintainer and originator
/// (agents), planned availability, the city's own identifier, the GovData contributor ID, and the choice to publish
/// it as open data. Each refusal names the field (docs/management-api.md).
extension DatasetPublication {
    static let plannedAvailability = "http://publications.europa.eu/resource/authority/planned-availability/"
    static let availabilityCodes = ["AVAILABLE", "EXPERIMENTAL", "STABLE", "TEMPORARY"]
    static let contributors = "http://dcat-ap.de/def/contributors/"

    /// `availability`: a short name (`STABLE`) or the full EU planned-availability IRI; stored as the IRI.
    func checkedAvailability() throws(CatalogPublishError) -> String? {
        guard let availability else { return nil }
        let code = availability.hasPrefix(Self.plannedAvailability)
            ? String(availability.dropFirst(Self.plannedAvailability.count)) : availability.uppercased()
        guard Self.availabilityCodes.contains(code) else {
            throw .invalidField(name: "availability", reason: "'\(Self.printable(availability))' is not an EU planned availability; "
                + "use \(Self.availabilityCodes.joined(separator: ", ")) or \(Self.plannedAvailability)<CODE>")
        }
        return Self.plannedAvailability + code
    }

    /// `identifier`: printable text of 1 to 500 characters (a number or IRI from the city's own register).
    func checkedIdentifier() throws(CatalogPublishError) -> String? {
        guard let identifier else { return nil }
        let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 500,
              !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidField(name: "identifier", reason: "an identifier has 1 to 500 printable characters, no line breaks")
        }
        return trimmed
    }

    /// `contributorID`: an IRI of the dcat-ap.de contributor list (`http://dcat-ap.de/def/contributors/<name>`).
    func checkedContributorID() throws(CatalogPublishError) -> String? {
        guard let contributorID else { return nil }
        let name = contributorID.hasPrefix(Self.contributors) ? contributorID.dropFirst(Self.contributors.count) : ""
        guard !name.isEmpty, name.count <= 200,
              name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }) else {
            throw .invalidField(name: "contributorID", reason: "'\(Self.printable(contributorID))' is not in the dcat-ap.de "
                + "contributor list; use the IRI GovData assigned, e.g. \(Self.contributors)stadtJena")
        }
        return contributorID
    }

    /// A maintainer or originator: a name (1–200 characters), optionally an email address and a web page.
    static func checked(_ agent: Agent?, field: String) throws(CatalogPublishError) -> Agent? {
        guard let agent else { return nil }
        let name = agent.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidField(name: field + ".name", reason: "give the name of a person or body (1 to 200 characters)")
        }
        if let email = agent.email, !isEmailAddress(email) {
            throw .invalidField(name: field + ".email", reason: "'\(printable(email))' is not an email address")
        }
        try checkWebPage(agent.homepage, field: field + ".homepage")
        return Agent(name: name, email: agent.email, homepage: agent.homepage)
    }

    static func isEmailAddress(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && email.count <= 254
            && !email.contains(where: { $0.isWhitespace || $0.isASCII == false || "<>\"(),;:\\[]".contains($0) })
    }

    static let publicAccess = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"

    /// `accessRights`, and what `open` makes of it: open data is PUBLIC (set when absent, any other value refused),
    /// is listed publicly (an explicit `transparency: false` is refused), and is a file (checked in `apiRecord`).
    func checkedOpenAccessRights() throws(CatalogPublishError) -> String? {
        let rights = try checkedAccessRights()
        guard open == true else { return rights }
        if let rights, rights != Self.publicAccess {
            throw .invalidField(name: "open", reason: "open data is public: leave accessRights out or set it to PUBLIC, not "
                + Self.printable(rights))
        }
        if transparency == false {
            throw .invalidField(name: "open", reason: "open data is listed on the public listener; leave transparency out "
                + "or set it to true")
        }
        return Self.publicAccess
    }

    /// Whether the dataset is listed on the public listener: asked for, or open data.
    var listedPublicly: Bool { transparency == true || open == true }
}
