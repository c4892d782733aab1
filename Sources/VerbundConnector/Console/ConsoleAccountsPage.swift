import Foundation
import VerbundHTTP
import VerbundTransport

/// Konten (operators only, permission `manageAccounts`): the accounts with their roles, a form to add one, and per
/// account "new secret" and "remove" — each a CSRF form that posts to the API's own `/api/accounts` routes. A drawn
/// secret is shown once, on the answer page (which is `Cache-Control: no-store` like every console page).
extension ConsoleRoutes {
    func accounts(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage) -> (title: String, body: String) {
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let e = { (key: ConsoleText) in ConsoleHTML.escape(t(key)) }
        let title = t(.accountsPage)
        let answer = call(.get, "/api/accounts", session)
        guard answer.status == 200, let list = (answer.json as? [String: Any])?["accounts"] as? [[String: Any]] else {
            return (title, "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(t(.unavailable) + " " + answer.error))</p>")
        }
        let rows: [[ConsoleHTML.Cell]] = list.map { account in
            let name = account["name"] as? String ?? ""
            let path = "/console/accounts/" + ConsoleHTML.escape(Self.pathComponent(name))
            return [.text(name), .text(account["role"] as? String ?? ""), .html("""
                <form class="inline" method="post" action="\(path)/reset">\(csrfField(session))<button type="submit" \
                aria-label="\(e(.resetSecret)): \(ConsoleHTML.escape(name))">\(e(.resetSecret))</button></form>
                <form class="inline" method="post" action="\(path)/remove">\(csrfField(session))<button type="submit" \
                aria-label="\(e(.removeAccount)): \(ConsoleHTML.escape(name))">\(e(.removeAccount))</button></form>
                """)]
        }
        let roles = AccountRole.allCases.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined()
        let body = ConsoleHTML.table(caption: title, headers: [t(.name), t(.role), t(.actions)], rows: rows, empty: t(.none)) + """
            <h2>\(e(.addAccount))</h2><form method="post" action="/console/accounts/add">\(csrfField(session))
            <p><label for="f-name">\(e(.account))</label><br><small id="h-name">\(e(.accountNameHint))</small><br>
            <input id="f-name" name="name" required maxlength="64" pattern="[a-z0-9._\\-]+" aria-describedby="h-name" autocomplete="off"></p>
            <p><label for="f-role">\(e(.role))</label><br><select id="f-role" name="role">\(roles)</select></p>
            <p><button type="submit">\(e(.addAccount))</button></p></form>
            """
        return (title, body)
    }

    /// An account action: session, CSRF, role; the API call; the drawn secret shown once.
    func accountAction(_ request: HTTPRequest, _ body: RequestBody, pattern: String) throws -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        let fields = ConsoleForm.fields(try body.readAll())
        guard ConsoleSessions.csrfMatches(session, fields["csrf"]) else { return csrfRefusal(session, language) }
        if let refusal = refusal(session, .post, pattern, language: language) { return refusal }
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let name = request.parameter("name") ?? ""
        let answer: APIAnswer
        switch pattern {
        case "/console/accounts/add":
            let json = try JSONSerialization.data(withJSONObject: ["name": fields["name"] ?? "", "role": fields["role"] ?? ""])
            answer = call(.post, "/api/accounts", session, body: Array(json))
        case "/console/accounts/:name/reset":
            answer = call(.post, "/api/accounts/\(Self.pathComponent(name))/reset", session)
        default:
            answer = call(.delete, "/api/accounts/\(Self.pathComponent(name))", session)
        }
        var html: String
        if (200..<300).contains(answer.status) {
            let issued = answer.json as? [String: Any]
            let done = pattern.hasSuffix("/add") ? t(.accountAdded) : pattern.hasSuffix("/reset") ? t(.accountReset) : t(.done)
            html = "<p class=\"message\" role=\"status\">\(ConsoleHTML.escape(done))</p>"
            if let secret = issued?["secret"] as? String {
                html += "<p>\(ConsoleHTML.escape(t(.secretOnce)))</p><p><code>\(ConsoleHTML.escape(issued?["name"] as? String ?? "")): "
                    + "\(ConsoleHTML.escape(secret))</code></p>"
            }
        } else {
            html = "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(t(.unavailable) + " " + answer.error))</p>"
        }
        html += "<p><a href=\"/console/accounts\">\(ConsoleHTML.escape(t(.accountsPage)))</a></p>"
        return self.html(ConsoleHTML.page(title: t(.accountsPage), language: language, navigation: navigation(session, language), body: html),
                         status: (200..<300).contains(answer.status) ? .ok : HTTPStatus(code: answer.status, reasonPhrase: "Refused"),
                         language: language)
    }
}
