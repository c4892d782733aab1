import Foundation
import VerbundHTTP
import VerbundTransport
import VerbundTrust

/// The console's pages: login, logout, Übersicht, Datensätze, Verhandlungen. Every shown value is escaped by
/// `ConsoleHTML` (`table` cells, `escape`).
extension ConsoleRoutes {
    private func t(_ key: ConsoleText, _ language: ConsoleLanguage) -> String { ConsoleMessages.text(key, language) }
    private func e(_ key: ConsoleText, _ language: ConsoleLanguage) -> String { ConsoleHTML.escape(t(key, language)) }

    /// The pages this session's role may open, then who is logged in and the logout button.
    func navigation(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage) -> String {
        let pages: [(pattern: String, href: String, text: ConsoleText)] = [
            ("/console", "/console/", .overview), ("/console/datasets", "/console/datasets", .datasets),
            ("/console/catalog", "/console/catalog", .catalog), ("/console/negotiations", "/console/negotiations", .negotiations),
            ("/console/transfers", "/console/transfers", .transfers),
            ("/console/federation", "/console/federation", .federationPage), ("/console/audit", "/console/audit", .auditPage),
            ("/console/accounts", "/console/accounts", .accountsPage),
        ]
        var html = "<nav aria-label=\"\(e(.title, language))\"><ul>"
        for page in pages where ManagementRoutePermissions.decide(session.caller.role, .get, page.pattern) == .allowed {
            html += "<li><a href=\"\(page.href)\">\(e(page.text, language))</a></li>"
        }
        return html + """
            <li>\(ConsoleHTML.escape(session.caller.name)) (\(e(.role, language)): \(ConsoleHTML.escape(session.caller.role.rawValue)))
            <form class="inline" method="post" action="/console/logout">\(csrfField(session))
            <button type="submit">\(e(.logout, language))</button></form></li></ul></nav>
            """
    }

    func csrfField(_ session: ConsoleSessions.Session) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(ConsoleHTML.escape(session.csrf))\">"
    }

    /// The login form. Before a session exists its CSRF token is a double-submit one: 256 random bits both in a
    /// `SameSite=Strict` cookie and in the form, which a foreign page can neither read nor set.
    func loginPage(_ request: HTTPRequest, message: ConsoleText?, status: HTTPStatus) throws -> HTTPResponse {
        let language = language(request)
        let token = try ConsoleSessions.token()
        let notice = message.map { "<p class=\"message\" role=\"alert\">\(e($0, language))</p>" } ?? ""
        let body = """
            \(notice)<form method="post" action="/console/login">
            <input type="hidden" name="csrf" value="\(token)">
            <p><label for="account">\(e(.account, language))</label><br>
            <input id="account" name="account" autocomplete="username" required maxlength="64"></p>
            <p><label for="secret">\(e(.secret, language))</label><br>
            <input id="secret" name="secret" type="password" autocomplete="current-password" required maxlength="1024"></p>
            <p><button type="submit">\(e(.login, language))</button></p></form>
            """
        var response = html(ConsoleHTML.page(title: t(.login, language), language: language, navigation: nil, body: body),
                            status: status, language: language)
        response.headers.add("Set-Cookie", "\(Self.loginCookie)=\(token); Path=/console/; HttpOnly; SameSite=Strict; Max-Age=1800")
        return response
    }

    /// Checks name and secret with `ManagementAuthentication`; failures count against the listener's failure limit,
    /// the very one the API's `Authorization` check counts in (20 a minute), during which no secret is checked.
    func login(_ request: HTTPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let fields = ConsoleForm.fields(try body.readAll())
        let expected = ConsoleForm.cookie(Self.loginCookie, in: request.headers["Cookie"]) ?? ""
        guard expected.count == 64, let sent = fields["csrf"], sent.utf8.count == 64,
              SecretHash.constantTimeEqual(Array(expected.utf8), Array(sent.utf8)) else {
            return try loginPage(request, message: .csrfFailed, status: .forbidden)
        }
        if case .locked = failures.decide(now: .now) {
            return try loginPage(request, message: .loginLocked, status: HTTPStatus(code: 429, reasonPhrase: "Too Many Requests"))
        }
        let caller: ManagementCaller?
        var storedHash = ""
        do {
            caller = try authentication.authenticate(name: fields["account"] ?? "", secret: fields["secret"] ?? "")
            if let caller { storedHash = try authentication.accounts.stored(caller.name)?.storedHash ?? "" }
        } catch {
            context.logger.error("console.accounts.unavailable", ["error": .error(error)])
            return try loginPage(request, message: .unavailable, status: .serviceUnavailable)
        }
        guard let caller else {
            failures.failed(now: .now)
            return try loginPage(request, message: .loginFailed, status: .unauthorized)
        }
        let session = try sessions.withLock { try $0.open(for: caller, storedHash: storedHash, now: .now) }
        var response = redirect("/console/", language: nil)
        response.headers.add("Set-Cookie", sessionCookie(session.id, maxAge: nil))
        return response
    }

    func logout(_ request: HTTPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        guard ConsoleSessions.csrfMatches(session, ConsoleForm.fields(try body.readAll())["csrf"]) else {
            return csrfRefusal(session, language)
        }
        sessions.withLock { $0.close(session.id) }
        var response = try loginPage(request, message: .loggedOut, status: .ok)
        response.headers.add("Set-Cookie", sessionCookie("", maxAge: 0))
        return response
    }

    private func unavailable(_ answer: APIAnswer, _ language: ConsoleLanguage) -> String {
        "<p class=\"message\" role=\"alert\">\(e(.unavailable, language)) \(ConsoleHTML.escape(answer.error))</p>"
    }

    private func string(_ value: Any?) -> String {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        case nil, is NSNull: return "–"
        default: return "\(value!)"
        }
    }

    func overview(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage) -> (title: String, body: String) {
        let title = t(.overview, language)
        let status = call(.get, "/api/status", session)
        guard let report = status.json as? [String: Any], status.status == 200 else { return (title, unavailable(status, language)) }
        let health = report["health"] as? [String: Any] ?? [:]
        let peers = call(.get, "/api/peers", session).json as? [[String: Any]] ?? []
        let reachable = peers.filter { $0["reachable"] as? Bool == true }.count
        let unreachable = peers.filter { $0["reachable"] as? Bool == false }.count
        var rows: [(ConsoleText, String)] = [
            (.health, string(health["status"])),
            (.membership, string(health["membership"]) + (health["membershipReason"].map { " (\(string($0)))" } ?? "")),
            (.endpoint, string(report["endpoint"])),
            (.federation, string(report["federationId"])),
            (.registrySerial, string(health["registrySerial"])),
            (.registryIssued, string(report["registryIssuedAt"])),
            (.crlNextUpdate, string(health["crlNextUpdate"])),
            (.members, "\(string(report["activeMembers"]))/\(string(report["members"]))"),
            (.peersReachable, "\(reachable)/\(peers.count)"),
            (.outbox, string(report["outboxPending"])),
            (.auditSize, string(report["auditLogSize"])),
        ]
        // The tree head only for roles that may read the audit log (the API's table decides in `call`).
        if ManagementRoutePermissions.decide(session.caller.role, .get, "/api/audit/sth") == .allowed,
           let head = call(.get, "/api/audit/sth", session).json as? [String: Any] {
            rows.append((.treeHead, "\(string(head["treeSize"])), \(string(head["rootHash"])), \(string(head["timestamp"]))"))
        }
        var body = "<h2>\(e(.health, language))</h2><dl>"
        for (key, value) in rows {
            body += "<dt>\(e(key, language))</dt><dd>\(ConsoleHTML.escape(value))</dd>"
        }
        body += "</dl><h2>\(e(.needsAttention, language))</h2>"
        var attention: [String] = (health["warnings"] as? [String]) ?? []
        if string(health["status"]) != "ok" { attention.append(t(.attentionHealth, language)) }
        if let pending = report["outboxPending"] as? Int, pending > 0 { attention.append(t(.attentionOutbox, language)) }
        if unreachable > 0 { attention.append(t(.attentionPeers, language)) }
        attention += certificateAttention(language)
        body += attention.isEmpty ? "<p>\(e(.nothingNeedsAttention, language))</p>"
            : "<ul>" + attention.map { "<li>\(ConsoleHTML.escape($0))</li>" }.joined() + "</ul>"
        return (title, body)
    }

    func datasets(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, query: HTTPRequest) -> (title: String, body: String) {
        let title = t(.datasets, language)
        // One page from the API (`limit`, `offset`); its `X-Total-Count` gives the number of pages.
        let (answer, paging) = pagedCall("/api/catalog/datasets", session, requested: query.target.query.first { $0.name == "seite" }?.value)
        guard answer.status == 200, let list = answer.json as? [[String: Any]] else { return (title, unavailable(answer, language)) }
        let manages = ManagementRoutePermissions.decide(session.caller.role, .post, "/console/datasets/:id/refresh") == .allowed
        let rows: [[ConsoleHTML.Cell]] = list.map { dataset in
            let id = string(dataset["id"])
            var row: [ConsoleHTML.Cell] = [.text(id), .text(string(dataset["title"])), .text(string(dataset["file"]))]
            if manages {
                let path = "/console/datasets/" + ConsoleHTML.escape(id.addingPercentEncoding(
                    withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? "")
                let label = ConsoleHTML.escape(string(dataset["title"]))
                row.append(.html("""
                    <form class="inline" method="post" action="\(path)/refresh">\(csrfField(session))<button type="submit" \
                    aria-label="\(e(.refresh, language)): \(label)">\(e(.refresh, language))</button></form>
                    <form class="inline" method="post" action="\(path)/remove">\(csrfField(session))<button type="submit" \
                    aria-label="\(e(.remove, language)): \(label)">\(e(.remove, language))</button></form>
                    """))
            }
            return row
        }
        var headers = [t(.id, language), t(.datasetTitle, language), t(.file, language)]
        if manages { headers.append(t(.actions, language)) }
        let publish = manages ? "<p><a href=\"/console/datasets/new\">\(e(.publishNew, language))</a></p>" : ""
        return (title, publish + ConsoleHTML.table(caption: title, headers: headers, rows: rows, empty: t(.none, language))
            + paging.navigation("/console/datasets", language, label: title))
    }

    func negotiations(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, query: HTTPRequest) -> (title: String, body: String) {
        let title = t(.negotiations, language)
        let (answer, paging) = pagedCall("/api/negotiations", session, requested: query.target.query.first { $0.name == "seite" }?.value)
        guard answer.status == 200, let list = (answer.json as? [String: Any])?["negotiations"] as? [[String: Any]] else {
            return (title, unavailable(answer, language))
        }
        let rows: [[ConsoleHTML.Cell]] = list.map { negotiation in
            [.text(string(negotiation["id"])), .text(string(negotiation["state"])), .text(string(negotiation["peer"])),
             .text(string(negotiation["dataset"])), .text(negotiation["reason"] == nil ? "" : string(negotiation["reason"]))]
        }
        return (title, ConsoleHTML.table(caption: title, headers: [t(.id, language), t(.state, language), t(.partner, language),
                                                                    t(.datasetColumn, language), t(.reason, language)],
                                          rows: rows, empty: t(.none, language))
            + paging.navigation("/console/negotiations", language, label: title)
            + contractList(session, language, requested: query.target.query.first { $0.name == "vertraege" }?.value))
    }

    /// The other members as `GET /api/peers` reports them (no probe: the page does not wait for peers).
    func federation(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage) -> (title: String, body: String) {
        let title = t(.federationPage, language)
        let answer = call(.get, "/api/peers", session)
        guard answer.status == 200, let list = answer.json as? [[String: Any]] else { return (title, unavailable(answer, language)) }
        let rows: [[ConsoleHTML.Cell]] = list.map { peer in
            let reachable = (peer["reachable"] as? Bool).map { t($0 ? .yes : .no, language) } ?? t(.unknown, language)
            return [.text(string(peer["id"])), .text(string(peer["name"])), .text(string(peer["status"])), .text(reachable),
                    .text(string(peer["lastContact"])), .text(peer["lastError"] == nil ? "" : string(peer["lastError"]))]
        }
        return (title, ConsoleHTML.table(caption: title, headers: [t(.id, language), t(.name, language), t(.memberStatus, language),
                                                                    t(.reachable, language), t(.lastContact, language),
                                                                    t(.lastError, language)],
                                          rows: rows, empty: t(.none, language)) + certificateSection(language))
    }

    /// The own latest signed tree head and what the peers' heads looked like when last checked (`/api/audit/sth`,
    /// `/api/audit/peers`).
    func audit(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, query: HTTPRequest) -> (title: String, body: String) {
        let title = t(.auditPage, language)
        let own = call(.get, "/api/audit/sth", session)
        guard own.status == 200, let head = own.json as? [String: Any] else { return (title, unavailable(own, language)) }
        var body = "<h2>\(e(.ownTreeHead, language))</h2><dl>"
        for (key, field) in [(ConsoleText.treeSize, "treeSize"), (.rootHash, "rootHash"), (.signedAt, "timestamp")] {
            body += "<dt>\(e(key, language))</dt><dd>\(ConsoleHTML.escape(string(head[field])))</dd>"
        }
        body += "</dl><h2>\(e(.peerTreeHeads, language))</h2>"
        let peers = call(.get, "/api/audit/peers", session)
        guard peers.status == 200, let list = peers.json as? [[String: Any]] else { return (title, body + unavailable(peers, language)) }
        let rows: [[ConsoleHTML.Cell]] = list.map { peer in
            [.text(string(peer["member"])), .text(string(peer["status"])), .text(string(peer["treeSize"])),
             .text(string(peer["rootHash"])), .text(string(peer["timestamp"])), .text(string(peer["checkedAt"])),
             .text(peer["problem"] == nil ? "" : string(peer["problem"]))]
        }
        body += ConsoleHTML.table(caption: t(.peerTreeHeads, language),
                                  headers: [t(.partner, language), t(.state, language), t(.treeSize, language), t(.rootHash, language),
                                            t(.signedAt, language), t(.checkedAt, language), t(.problem, language)],
                                  rows: rows, empty: t(.none, language))
        return (title, body + auditEntries(session, language, query: query) + verifyForm(session, language))
    }
}
