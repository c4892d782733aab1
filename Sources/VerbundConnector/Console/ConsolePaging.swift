/// One page of a long list (datasets, negotiations, contracts, transfers): 50 rows, chosen with `?seite=N` (from 1),
/// so a page stays small with 10 000 entries (docs/performance.md, "Console pages"). Pure.
package struct ConsolePaging: Sendable, Equatable {
    package static let size = 50

    package let page: Int
    package let pages: Int
    package let range: Range<Int>

    /// `requested` is the query's text; anything that is not a page number is page 1, beyond the end the last page.
    package init(count: Int, requested: String?) {
        pages = max(1, (count + Self.size - 1) / Self.size)
        let asked = requested.flatMap { $0.utf8.count <= 9 ? Int($0) : nil } ?? 1
        page = min(max(1, asked), pages)
        range = min(count, (page - 1) * Self.size)..<min(count, page * Self.size)
    }

    /// "Seite 2 von 7" with links to the previous and next page of `path` (a path of the console, possibly with a
    /// query of percent-encoded values, which the links keep).
    func navigation(_ path: String, _ language: ConsoleLanguage, label: String, parameter: String = "seite") -> String {
        guard pages > 1 else { return "" }
        let de = language == .de
        let base = ConsoleHTML.escape(path + (path.contains("?") ? "&" : "?") + parameter + "=")
        var html = "<nav aria-label=\"\(ConsoleHTML.escape(label))\"><p>"
        if page > 1 { html += "<a href=\"\(base)\(page - 1)\">\(de ? "Zurück" : "Previous")</a> " }
        html += de ? "Seite \(page) von \(pages)" : "Page \(page) of \(pages)"
        if page < pages { html += " <a href=\"\(base)\(page + 1)\">\(de ? "Weiter" : "Next")</a>" }
        return html + "</p></nav>"
    }
}

extension ConsoleRoutes {
    /// One page of an API list route (`?limit=50&offset=…`, `ManagementPage`): the answer and the paging its
    /// `X-Total-Count` gives. A page beyond the end is answered with the last one.
    func pagedCall(_ path: String, _ session: ConsoleSessions.Session, requested: String?) -> (APIAnswer, ConsolePaging) {
        let asked = ConsolePaging(count: Int.max / 2, requested: requested).page
        let path = path + (path.contains("?") ? "&" : "?")
        var answer = call(.get, "\(path)limit=\(ConsolePaging.size)&offset=\((asked - 1) * ConsolePaging.size)", session)
        var paging = ConsolePaging(count: answer.headers[ManagementPage.totalHeader].flatMap { Int($0) } ?? 0, requested: requested)
        if paging.page != asked, answer.status == 200 {
            answer = call(.get, "\(path)limit=\(ConsolePaging.size)&offset=\(paging.range.lowerBound)", session)
            paging = ConsolePaging(count: answer.headers[ManagementPage.totalHeader].flatMap { Int($0) } ?? 0,
                                   requested: String(paging.page))
        }
        return (answer, paging)
    }
}
