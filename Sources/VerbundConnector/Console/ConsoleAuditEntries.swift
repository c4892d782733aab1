import Foundation
import VerbundHTTP
import VerbundTransport

/// Protokoll → the log's entries: a filter form (kind, identifier, days; a GET form, so a filtered view is a link) and
/// one page of the matching entries, newest first, as `GET /api/audit/entries` finds them — filtered and paged in the
/// database (`AuditLogFilter`), not in the page.
extension ConsoleRoutes {
    /// The console's query names and the API's.
    static let auditFilterFields = [("art", "kind"), ("kennung", "id"), ("von", "from"), ("bis", "until")]
    /// An entry's fields are shown up to this many characters.
    static let shownFields = 400

    func auditEntries(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, query: HTTPRequest) -> String {
        let t = { (key: ConsoleText) in ConsoleHTML.escape(ConsoleMessages.text(key, language)) }
        var values: [String: String] = [:]
        var console: [String] = []
        var api: [String] = []
        for (field, parameter) in Self.auditFilterFields {
            let value = (query.target.query.first { $0.name == field }?.value ?? "").trimmingCharacters(in: .whitespaces)
            values[field] = value
            guard !value.isEmpty, let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { continue }
            console.append("\(field)=\(encoded)")
            api.append("\(parameter)=\(encoded)")
        }
        func input(_ name: String, _ label: ConsoleText, type: String = "text", hint: ConsoleText? = nil, extra: String = "") -> String {
            let described = hint.map { _ in " aria-describedby=\"h-\(name)\"" } ?? ""
            let hintHTML = hint.map { "<br><small id=\"h-\(name)\">\(t($0))</small>" } ?? ""
            return "<p><label for=\"f-\(name)\">\(t(label))</label>\(hintHTML)<br><input id=\"f-\(name)\" name=\"\(name)\" type=\"\(type)\" "
                + "value=\"\(ConsoleHTML.escape(values[name] ?? ""))\"\(described)\(extra)></p>"
        }
        var html = """
            <h2 id="eintraege">\(t(.logEntries))</h2>
            <form method="get" action="/console/audit" aria-labelledby="eintraege">
            \(input("art", .entryKind, hint: .entryKindHint, extra: " maxlength=\"100\""))
            \(input("kennung", .entryID, hint: .entryIDHint, extra: " maxlength=\"1000\""))
            \(input("von", .fromDay, type: "date"))
            \(input("bis", .untilDay, type: "date"))
            <p><button type="submit">\(t(.filterButton))</button></p></form>
            """
        let path = "/api/audit/entries" + (api.isEmpty ? "" : "?" + api.joined(separator: "&"))
        let (answer, paging) = pagedCall(path, session, requested: query.target.query.first { $0.name == "eintraege" }?.value)
        guard answer.status == 200, let list = (answer.json as? [String: Any])?["entries"] as? [[String: Any]] else {
            return html + "<p class=\"message\" role=\"alert\">\(t(.unavailable)) \(ConsoleHTML.escape(answer.error))</p>"
        }
        let rows: [[ConsoleHTML.Cell]] = list.map { item in
            let entry = item["entry"] as? [String: Any] ?? [:]
            let at = (entry["at"] as? NSNumber).map { Self.time(milliseconds: $0.int64Value) } ?? ""
            var fields = (entry["fields"]).flatMap {
                try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes])
            }.map { String(decoding: $0, as: UTF8.self) } ?? ""
            if fields.count > Self.shownFields { fields = String(fields.prefix(Self.shownFields - 1)) + "…" }
            return [.text((item["index"] as? NSNumber)?.stringValue ?? ""), .text(at), .text(entry["kind"] as? String ?? ""),
                    .html("<code class=\"hash\">\(ConsoleHTML.escape(fields))</code>")]
        }
        let total = answer.headers[ManagementPage.totalHeader] ?? "0"
        html += "<p role=\"status\">\(t(.entriesFound)) \(ConsoleHTML.escape(total))</p>"
        html += ConsoleHTML.table(caption: ConsoleMessages.text(.logEntries, language),
                                  headers: [ConsoleMessages.text(.entryIndex, language), ConsoleMessages.text(.entryTime, language),
                                            ConsoleMessages.text(.entryKind, language), ConsoleMessages.text(.entryFields, language)],
                                  rows: rows, empty: ConsoleMessages.text(.none, language))
        let base = "/console/audit" + (console.isEmpty ? "" : "?" + console.joined(separator: "&"))
        return html + paging.navigation(base, language, label: ConsoleMessages.text(.logEntries, language), parameter: "eintraege")
    }

    /// `2026-12-05 14:19:13.144 UTC`.
    static func time(milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            .replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }
}
