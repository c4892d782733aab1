import Foundation

/// The console's publish form as a value (pure: no socket, file or clock): the DCAT-AP.de fields `POST
/// /api/catalog/datasets` takes and a policy built from the constraints Verbund enforces (docs/policies.md) — members,
/// region by AGS prefix, a validity period, a transfer count, purposes. `body` is the JSON the console posts to the
/// API's own route, so the API's validation decides; `problems` are only what cannot even be written as that body
/// (a count that is no number, a date that is no date).
package struct ConsolePublishForm: Sendable, Equatable {
    package var title = ""
    package var description = ""
    package var keywords = ""
    package var themes: [String] = []
    package var license = ""
    package var contactName = ""
    package var contactEmail = ""
    package var contactURL = ""
    package var file = ""
    package var upstream = ""
    package var pathPrefix = ""
    // The policy builder; every list field is comma separated.
    package var members = ""
    package var regions = ""
    package var validFrom = ""
    package var validUntil = ""
    package var count = ""
    package var purposes = ""
    /// List the dataset on the public transparency page (`transparency` of the API's body; docs/operator.md).
    package var transparency = false

    /// A form field's name and what it is.
    package enum Problem: Sendable, Equatable {
        case notADate(field: String)
        case notACount
        case untilBeforeFrom
    }

    /// The EU data-theme codes (http://publications.europa.eu/resource/authority/data-theme), with labels in German
    /// and English.
    package static let themeCodes: [(code: String, de: String, en: String)] = [
        ("AGRI", "Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel", "Agriculture, fisheries, forestry and food"),
        ("ECON", "Wirtschaft und Finanzen", "Economy and finance"), ("EDUC", "Bildung, Kultur und Sport", "Education, culture and sport"),
        ("ENER", "Energie", "Energy"), ("ENVI", "Umwelt", "Environment"),
        ("GOVE", "Regierung und öffentlicher Sektor", "Government and public sector"), ("HEAL", "Gesundheit", "Health"),
        ("INTR", "Internationale Themen", "International issues"), ("JUST", "Justiz, Rechtssystem und öffentliche Sicherheit",
                                                                     "Justice, legal system and public safety"),
        ("REGI", "Regionen und Städte", "Regions and cities"), ("SOCI", "Bevölkerung und Gesellschaft", "Population and society"),
        ("TECH", "Wissenschaft und Technologie", "Science and technology"), ("TRAN", "Verkehr", "Transport"),
    ]

    package init() {}

    /// The form from its submitted fields; `all` keeps repeated names (the theme checkboxes).
    package init(_ all: [(name: String, value: String)]) {
        var fields: [String: String] = [:]
        for (name, value) in all where fields[name] == nil { fields[name] = value }
        let text = { (name: String) in (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        title = text("title")
        description = text("description")
        keywords = text("keywords")
        themes = all.filter { $0.name == "themes" }.map(\.value).filter { code in Self.themeCodes.contains { $0.code == code } }
        license = text("license")
        contactName = text("contactName")
        contactEmail = text("contactEmail")
        contactURL = text("contactURL")
        file = text("file")
        upstream = text("upstream")
        pathPrefix = text("pathPrefix")
        members = text("members")
        regions = text("regions")
        validFrom = text("validFrom")
        validUntil = text("validUntil")
        count = text("count")
        purposes = text("purposes")
        transparency = text("transparency") == "1"
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `YYYY-MM-DD` (what `<input type="date">` sends) as its midnight in UTC.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }

    static func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    package var problems: [Problem] {
        var problems: [Problem] = []
        if !validFrom.isEmpty, Self.day(validFrom) == nil { problems.append(.notADate(field: "validFrom")) }
        if !validUntil.isEmpty, Self.day(validUntil) == nil { problems.append(.notADate(field: "validUntil")) }
        if let from = Self.day(validFrom), let until = Self.day(validUntil), until < from { problems.append(.untilBeforeFrom) }
        if !count.isEmpty, !(count.utf8.count <= 9 && Int(count).map { $0 >= 0 } == true) { problems.append(.notACount) }
        return problems
    }

    /// The ODRL constraints of the one `use` permission, as the API's compact JSON takes them (docs/policies.md).
    package var constraints: [[String: Any]] {
        var constraints: [[String: Any]] = []
        func add(_ operand: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            constraints.append(["leftOperand": operand, "operator": values.count == 1 ? "eq" : "isAnyOf",
                                "rightOperand": values.count == 1 ? values[0] as Any : values as Any])
        }
        add("https://w3id.org/verbund/odrl/member", Self.list(members))
        add("https://w3id.org/verbund/odrl/region", Self.list(regions))
        if let from = Self.day(validFrom) {
            constraints.append(["leftOperand": "dateTime", "operator": "gteq", "rightOperand": Self.stamp(from)])
        }
        if let until = Self.day(validUntil) {
            // "until the day, inclusive": before the next midnight (UTC).
            constraints.append(["leftOperand": "dateTime", "operator": "lt", "rightOperand": Self.stamp(until.addingTimeInterval(86_400))])
        }
        if let limit = Int(count), limit >= 0 {
            constraints.append(["leftOperand": "count", "operator": "lteq", "rightOperand": limit])
        }
        add("purpose", Self.list(purposes))
        return constraints
    }

    /// The policy: `use`, with the constraints all holding at once.
    package var policy: [String: Any] {
        var rule: [String: Any] = ["action": "use"]
        if !constraints.isEmpty { rule["constraint"] = constraints }
        return ["permission": [rule]]
    }

    /// The body for `POST /api/catalog/datasets`; empty fields are left out so the API's defaults apply.
    package var body: [String: Any] {
        var body: [String: Any] = ["title": title, "policy": policy]
        if !description.isEmpty { body["description"] = description }
        let keywords = Self.list(keywords)
        if !keywords.isEmpty { body["keywords"] = keywords }
        if !themes.isEmpty { body["themes"] = themes.map { "http://publications.europa.eu/resource/authority/data-theme/" + $0 } }
        if !license.isEmpty { body["license"] = license }
        if !contactName.isEmpty || !contactEmail.isEmpty || !contactURL.isEmpty {
            var contact: [String: Any] = ["name": contactName]
            if !contactEmail.isEmpty { contact["email"] = contactEmail }
            if !contactURL.isEmpty { contact["url"] = contactURL }
            body["contactPoint"] = contact
        }
        if transparency { body["transparency"] = true }
        if !file.isEmpty { body["file"] = file }
        if !upstream.isEmpty {
            body["upstream"] = ["base": upstream, "pathPrefixes": [pathPrefix.isEmpty ? "/" : pathPrefix]] as [String: Any]
        }
        return body
    }

    /// The body as bytes with sorted keys: the same form gives the same bytes, so `fingerprint` names what was previewed.
    package var bodyBytes: [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }
}
