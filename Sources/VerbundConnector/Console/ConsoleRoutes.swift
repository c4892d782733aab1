import Foundation
import Synchronization
import VerbundHTTP
import VerbundTransport

/// The console under `/console/` on the management listener (issue 12, docs/console.md): server-rendered HTML pages
/// that work without JavaScript. `ManagementMount` lets these routes past the `Authorization` check
/// (`ManagementRoutePermissions.isConsole`) and only checks the host; the console authenticates with its own
/// session cookie and then checks the session's role against the same `ManagementRoutePermissions` table — both for
/// the console route and for the API route whose data it shows. The data comes from the API's own handlers (`api`,
/// the routes before the guard), called in process with the session's account, so no logic is duplicated and the
/// audit log names the account for every action.
package final class ConsoleRoutes: Sendable {
    package static let cookie = "verbund_console"
    package static let languageCookie = "verbund_lang"
    /// The login form's double-submit CSRF token (`loginPage`).
    package static let loginCookie = "verbund_login"
    /// A login form or an action form is small; anything bigger is not a browser's form.
    static let formLimit = 4096

    let api: Router
    let authentication: ManagementAuthentication
    let context: ConnectorContext
    let sessions: Mutex<ConsoleSessions>
    /// The listener's failure limit, the same instance `ManagementMount` counts API failures in.
    let failures: AuthenticationFailures

    init(api: Router, authentication: ManagementAuthentication, context: ConnectorContext,
                 failures: AuthenticationFailures, limits: ConsoleSessions.Limits = .init()) {
        self.api = api
        self.authentication = authentication
        self.context = context
        sessions = Mutex(ConsoleSessions(limits: limits))
        self.failures = failures
    }

    package func register(into router: inout Router) {
        let console = self
        router.get("/console/style.css") { _, _ in
            console.secure(HTTPResponse(contentType: "text/css; charset=utf-8", bytes: Array(ConsoleHTML.style.utf8)), language: nil)
        }
        router.get("/console/login") { request, _ in try console.loginPage(request, message: nil, status: .ok) }
        router.post("/console/login", bodyLimit: Self.formLimit) { request, body in try console.login(request, body) }
        router.post("/console/logout", bodyLimit: Self.formLimit) { request, body in try console.logout(request, body) }
        router.get("/console") { request, _ in
            // The session cookie's path is /console/: a bare /console would not carry it.
            guard request.head.target.hasPrefix("/console/") else { return console.redirect("/console/", language: nil) }
            return console.page(request, pattern: "/console") { session, language in console.overview(session, language) }
        }
        router.get("/console/datasets") { request, _ in
            console.page(request, pattern: "/console/datasets") { session, language in console.datasets(session, language, query: request) }
        }
        router.get("/console/negotiations") { request, _ in
            console.page(request, pattern: "/console/negotiations") { session, language in
                console.negotiations(session, language, query: request)
            }
        }
        router.get("/console/contracts/:id") { request, _ in
            console.page(request, pattern: "/console/contracts/:id") { session, language in
                console.contractPage(request.parameter("id") ?? "", session, language)
            }
        }
        router.get("/console/contracts/:id/evidence") { request, _ in console.evidenceDownload(request) }
        router.post("/console/audit/verify", bodyLimit: Self.verifyBodyLimit) { request, body in try console.verifyBundle(request, body) }
        router.get("/console/accounts") { request, _ in
            console.page(request, pattern: "/console/accounts") { session, language in console.accounts(session, language) }
        }
        for pattern in ["/console/accounts/add", "/console/accounts/:name/reset", "/console/accounts/:name/remove"] {
            router.post(pattern, bodyLimit: Self.formLimit) { request, body in try console.accountAction(request, body, pattern: pattern) }
        }
        router.get("/console/catalog") { request, _ in
            console.page(request, pattern: "/console/catalog") { session, language in console.catalog(session, language, query: request) }
        }
        router.post("/console/catalog/crawl", bodyLimit: Self.formLimit) { request, body in
            try console.action(request, body, pattern: "/console/catalog/crawl", back: ("/console/catalog", .catalog)) { session, _ in
                console.call(.post, "/api/catalog/crawl", session)
            }
        }
        router.post("/console/catalog/negotiate", bodyLimit: Self.formLimit) { request, body in
            try console.action(request, body, pattern: "/console/catalog/negotiate", back: ("/console/negotiations", .negotiations)) { session, fields in
                console.call(.post, "/api/negotiations", session, body: console.negotiateBody(fields))
            }
        }
        router.get("/console/transfers.js") { _, _ in
            var response = HTTPResponse(contentType: "text/javascript; charset=utf-8", bytes: Array(ConsoleTransfersScript.text.utf8))
            response.headers.set("Cache-Control", "no-store")
            return console.secure(response, language: nil)
        }
        router.get("/console/transfers") { request, _ in
            console.page(request, pattern: "/console/transfers") { session, language in console.transfers(session, language, query: request) }
        }
        router.get("/console/transfers/progress") { request, _ in console.transferProgress(request) }
        for action in ["suspend", "resume", "terminate"] {
            let pattern = "/console/transfers/:pid/\(action)"
            router.post(pattern, bodyLimit: Self.formLimit) { request, body in
                try console.action(request, body, pattern: pattern, back: ("/console/transfers", .transfers)) { session, _ in
                    console.call(.post, "/api/transfers/\(Self.pathComponent(request.parameter("pid") ?? ""))/\(action)", session)
                }
            }
        }
        router.get("/console/federation") { request, _ in
            console.page(request, pattern: "/console/federation") { session, language in console.federation(session, language) }
        }
        router.get("/console/audit") { request, _ in
            console.page(request, pattern: "/console/audit") { session, language in console.audit(session, language, query: request) }
        }
        router.get("/console/datasets/new") { request, _ in
            console.page(request, pattern: "/console/datasets/new") { session, language in console.publishForm(session, language) }
        }
        router.post("/console/datasets/publish", bodyLimit: Self.publishFormLimit) { request, body in try console.publish(request, body) }
        for action in ["refresh", "remove"] {
            let pattern = "/console/datasets/:id/\(action)"
            router.post(pattern, bodyLimit: Self.formLimit) { request, body in
                try console.action(request, body, pattern: pattern) { session, _ in
                    let id = request.parameter("id") ?? ""
                    let path = "/api/catalog/datasets/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? "")
                    return action == "refresh" ? console.call(.post, path + "/refresh", session)
                        : console.call(.delete, path, session)
                }
            }
        }
    }

    // MARK: Responses

    /// The headers every console response carries (docs/console.md "Security").
    func secure(_ response: HTTPResponse, language: ConsoleLanguage?) -> HTTPResponse {
        var response = response
        response.headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("Referrer-Policy", "no-referrer")
        response.headers.set("Cache-Control", "no-store")
        if let language {
            response.headers.add("Set-Cookie", "\(Self.languageCookie)=\(language.rawValue); Path=/console/; SameSite=Strict; HttpOnly")
        }
        return response
    }

    func html(_ text: String, status: HTTPStatus = .ok, language: ConsoleLanguage) -> HTTPResponse {
        secure(HTTPResponse(status: status, contentType: "text/html; charset=utf-8", bytes: Array(text.utf8)), language: language)
    }

    func redirect(_ location: String, language: ConsoleLanguage?) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(code: 303, reasonPhrase: "See Other"))
        response.headers.set("Location", location)
        return secure(response, language: language)
    }

    func language(_ request: HTTPRequest) -> ConsoleLanguage {
        ConsoleLanguage.chosen(query: request.target.query.first { $0.name == "lang" }?.value,
                               cookie: ConsoleForm.cookie(Self.languageCookie, in: request.headers["Cookie"]))
    }

    func sessionCookie(_ id: String, maxAge: Int?) -> String {
        // `Secure` only where the browser came over TLS; this listener is plain loopback (docs/console.md).
        "\(Self.cookie)=\(id); Path=/console/; HttpOnly; SameSite=Strict" + (maxAge.map { "; Max-Age=\($0)" } ?? "")
    }

    // MARK: Session and permission

    /// The request's live session, with the account's current role. Like the API, which reads the account on every
    /// request, a removed account or a reset secret ends the session at once; a failing database is no session.
    func currentSession(_ request: HTTPRequest) -> ConsoleSessions.Session? {
        let id = ConsoleForm.cookie(Self.cookie, in: request.headers["Cookie"])
        guard var session = sessions.withLock({ $0.use(id, now: .now) }) else { return nil }
        guard let row = try? authentication.accounts.stored(session.caller.name), row.storedHash == session.storedHash else {
            sessions.withLock { $0.close(session.id) }
            return nil
        }
        session.caller = ManagementCaller(name: session.caller.name, role: row.role, credential: .account)
        return session
    }

    /// A GET page: session required (else the login page), role checked against `pattern`.
    func page(_ request: HTTPRequest, pattern: String,
              render: (ConsoleSessions.Session, ConsoleLanguage) -> (title: String, body: String)) -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        if let refusal = refusal(session, .get, pattern, language: language) { return refusal }
        let (title, body) = render(session, language)
        return html(ConsoleHTML.page(title: title, language: language, navigation: navigation(session, language), body: body),
                    language: language)
    }

    /// A POST action: session, CSRF token, role; then `perform` (an API call) and back to the page it came from.
    func action(_ request: HTTPRequest, _ body: RequestBody, pattern: String, back: (href: String, text: ConsoleText) = ("/console/datasets", .datasets),
                perform: (ConsoleSessions.Session, [String: String]) -> APIAnswer) throws -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        let fields = ConsoleForm.fields(try body.readAll())
        guard ConsoleSessions.csrfMatches(session, fields["csrf"]) else { return csrfRefusal(session, language) }
        if let refusal = refusal(session, .post, pattern, language: language) { return refusal }
        let answer = perform(session, fields)
        let message: String
        if (200..<300).contains(answer.status) {
            // What the API made, by its id (a started negotiation), so the person can find it.
            let made = ((answer.json as? [String: Any])?["id"] as? String).map { " \(ConsoleMessages.text(.id, language)): \($0)" } ?? ""
            message = ConsoleMessages.text(.done, language) + made
        } else {
            message = ConsoleMessages.text(.unavailable, language) + " " + answer.error
        }
        let body = "<p class=\"message\" role=\"status\">\(ConsoleHTML.escape(message))</p>"
            + "<p><a href=\"\(back.href)\">\(ConsoleHTML.escape(ConsoleMessages.text(back.text, language)))</a></p>"
        return html(ConsoleHTML.page(title: ConsoleMessages.text(back.text, language), language: language,
                                     navigation: navigation(session, language), body: body),
                    status: (200..<300).contains(answer.status) ? .ok : HTTPStatus(code: answer.status, reasonPhrase: "Refused"),
                    language: language)
    }

    func csrfRefusal(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, detail: String? = nil) -> HTTPResponse {
        let text = ConsoleMessages.text(.csrfFailed, language) + (detail.map { " (\($0))" } ?? "")
        return html(ConsoleHTML.page(title: ConsoleMessages.text(.forbidden, language), language: language,
                                     navigation: navigation(session, language),
                                     body: "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(text))</p>"),
                    status: .forbidden, language: language)
    }

    /// The 403 page when the session's role may not use `method pattern` (the API's table decides).
    func refusal(_ session: ConsoleSessions.Session, _ method: HTTPMethod, _ pattern: String,
                 language: ConsoleLanguage) -> HTTPResponse? {
        guard case let .refused(_, roles) = ManagementRoutePermissions.decide(session.caller.role, method, pattern) else { return nil }
        let body = "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(ConsoleMessages.text(.forbiddenDetail, language))) "
            + ConsoleHTML.escape(roles.map(\.rawValue).joined(separator: ", ")) + "</p>"
        return html(ConsoleHTML.page(title: ConsoleMessages.text(.forbidden, language), language: language,
                                     navigation: navigation(session, language), body: body),
                    status: .forbidden, language: language)
    }

    // MARK: The API, in process

    struct APIAnswer {
        var status: Int
        var json: Any?
        var error: String
        /// The body as the route answered it (an evidence bundle is passed on byte for byte).
        var bytes: [UInt8] = []
        var headers = HTTPHeaders()
    }

    /// Calls the API route for `method path` as the session's account: refused (403) unless the same table allows
    /// it; a changing call is written to the audit log like one through `ManagementMount`.
    func call(_ method: HTTPMethod, _ path: String, _ session: ConsoleSessions.Session, body: [UInt8] = []) -> APIAnswer {
        guard let target = try? HTTPRequestTarget(path),
              case let .matched(route, parameters) = api.resolve(method: method, path: target.segments) else {
            return APIAnswer(status: 404, json: nil, error: "no API route \(method) \(path)")
        }
        let pattern = route.pattern.description
        if case let .refused(_, roles) = ManagementRoutePermissions.decide(session.caller.role, method, pattern) {
            return APIAnswer(status: 403, json: nil, error: "needs one of the roles " + roles.map(\.rawValue).joined(separator: ", "))
        }
        var headers: HTTPHeaders = ["Host": "127.0.0.1"]
        if !body.isEmpty { headers.set("Content-Type", "application/json") }
        let request = HTTPRequest(head: HTTPRequestHead(method: method, target: path, headers: headers),
                                  target: target, pathParameters: parameters, peer: session.caller, remoteAddress: "console")
        var status = 500
        var answer = APIAnswer(status: 500, json: nil, error: "")
        do {
            // The route's own body limit holds here too, as on the socket.
            if let limit = route.bodyLimit, body.count > limit { throw HTTPError(.contentTooLarge, "the body exceeds \(limit) bytes") }
            let response = try route.handler(request, RequestBody(bytes: body))
            status = response.status.code
            answer.status = status
            answer.headers = response.headers
            if case let .bytes(bytes) = response.body {
                answer.bytes = bytes
                answer.json = try? JSONSerialization.jsonObject(with: Data(bytes))
            }
        } catch let error as HTTPError {
            status = error.status.code
            answer = APIAnswer(status: status, json: nil, error: error.message)
        } catch {
            context.logger.error("console.api.failed", ["route": .string(pattern), "error": .error(error)])
            answer = APIAnswer(status: 500, json: nil, error: "internal error (the connector's log says why)")
        }
        if answer.error.isEmpty, !(200..<300).contains(status) {
            answer.error = ((answer.json as? [String: Any])?["error"] as? String) ?? "HTTP \(status)"
        }
        AdminActionRecord.record(request, pattern: pattern, status: status, context: context)
        return answer
    }
}
