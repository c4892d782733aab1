import Foundation
import VerbundHTTP
import VerbundTransport

/// Katalog: the federated catalog as the crawl holds it (`GET /api/catalog/federated`, its full-text search and keyword
/// filter), a button to read the peers' catalogs now (`POST /api/catalog/crawl`), and per offer a "Verhandeln" form
/// with a purpose that starts a negotiation (`POST /api/negotiations`) — all through the API's own handlers.
extension ConsoleRoutes {
    func catalog(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, query: HTTPRequest) -> (title: String, body: String) {
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let e = { (key: ConsoleText) in ConsoleHTML.escape(t(key)) }
        let title = t(.catalog)
        let search = query.target.queryValue("suche") ?? ""
        let keyword = query.target.queryValue("schlagwort") ?? ""
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        var body = """
            <form method="get" action="/console/catalog"><p><label for="f-suche">\(e(.searchField))</label><br>
            <input id="f-suche" name="suche" type="search" value="\(ConsoleHTML.escape(search))" maxlength="200"></p>
            <p><label for="f-schlagwort">\(e(.keywordFilter))</label><br>
            <input id="f-schlagwort" name="schlagwort" value="\(ConsoleHTML.escape(keyword))" maxlength="200"></p>
            <p><button type="submit">\(e(.searchButton))</button></p></form>
            """
        if ManagementRoutePermissions.decide(session.caller.role, .post, "/console/catalog/crawl") == .allowed {
            body += "<form method=\"post\" action=\"/console/catalog/crawl\">\(csrfField(session))"
                + "<p><button type=\"submit\">\(e(.crawlNow))</button></p></form>"
        }
        var path = "/api/catalog/federated?limit=50"
        if !search.isEmpty { path += "&search=" + encode(search) }
        if !keyword.isEmpty { path += "&keyword=" + encode(keyword) }
        let answer = call(.get, path, session)
        guard answer.status == 200, let listing = answer.json as? [String: Any] else {
            return (title, body + "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(t(.unavailable) + " " + answer.error))</p>")
        }
        let negotiates = ManagementRoutePermissions.decide(session.caller.role, .post, "/console/catalog/negotiate") == .allowed
        var rows: [[ConsoleHTML.Cell]] = []
        for (index, entry) in (listing["datasets"] as? [[String: Any]] ?? []).enumerated() {
            let provider = entry["provider"] as? String ?? "", id = entry["id"] as? String ?? ""
            for (offerIndex, offer) in (entry["offers"] as? [[String: Any]] ?? []).enumerated() {
                var row: [ConsoleHTML.Cell] = [.text("\(entry["providerName"] as? String ?? "") (\(provider))"),
                                               .text(entry["title"] as? String ?? ""), .text(id), .text(offer["terms"] as? String ?? "")]
                if negotiates {
                    let field = "z-\(index)-\(offerIndex)"
                    row.append(.html("""
                        <form method="post" action="/console/catalog/negotiate">\(csrfField(session))
                        <input type="hidden" name="peer" value="\(ConsoleHTML.escape(provider))">
                        <input type="hidden" name="dataset" value="\(ConsoleHTML.escape(id))">
                        <input type="hidden" name="offer" value="\(ConsoleHTML.escape(offer["id"] as? String ?? ""))">
                        <label for="\(field)">\(e(.purpose))</label> <input id="\(field)" name="purpose" maxlength="200">
                        <button type="submit" aria-label="\(e(.negotiate)): \(ConsoleHTML.escape(entry["title"] as? String ?? ""))">\(e(.negotiate))</button></form>
                        """))
                }
                rows.append(row)
            }
        }
        var headers = [t(.partner), t(.datasetTitle), t(.id), t(.terms)]
        if negotiates { headers.append(t(.actions)) }
        body += "<p>\(e(.catalogLimit))" + ((listing["lastCrawl"] as? String).map { " \(e(.lastCrawl)): \(ConsoleHTML.escape($0))" } ?? "") + "</p>"
        body += ConsoleHTML.table(caption: title, headers: headers, rows: rows, empty: t(.none))
        if let problems = listing["problems"] as? [String: String], !problems.isEmpty {
            body += "<ul>" + problems.sorted { $0.key < $1.key }.map { "<li>\(ConsoleHTML.escape($0.key)): \(ConsoleHTML.escape($0.value))</li>" }
                .joined() + "</ul>"
        }
        return (title, body)
    }

    /// `POST /console/catalog/negotiate`: the form's peer, dataset, offer and purpose as the API's start request.
    func negotiateBody(_ fields: [String: String]) -> [UInt8] {
        var request: [String: String] = ["peer": fields["peer"] ?? "", "dataset": fields["dataset"] ?? ""]
        if let offer = fields["offer"], !offer.isEmpty { request["offer"] = offer }
        if let purpose = fields["purpose"]?.trimmingCharacters(in: .whitespaces), !purpose.isEmpty { request["purpose"] = purpose }
        return Array((try? JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}
