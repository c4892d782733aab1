import VerbundAudit
import VerbundHTTP
import VerbundTransport

/// Protokoll → verify an evidence bundle: the auditor uploads a bundle (a `multipart/form-data` file field, at most
/// 8 MiB, CSRF token in the same form) and sees the named checks of `EvidenceVerifier` — the verifier `verbund audit
/// verify` runs — against this connector's federation root and current CRL. Nothing is stored.
extension ConsoleRoutes {
    static let maxBundleBytes = 8 << 20
    /// The bundle plus the form's other fields and the part headers.
    static let verifyBodyLimit = maxBundleBytes + 16 * 1024

    func verifyForm(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage) -> String {
        let e = { (key: ConsoleText) in ConsoleHTML.escape(ConsoleMessages.text(key, language)) }
        return """
            <h2>\(e(.verifyBundle))</h2>
            <form method="post" action="/console/audit/verify" enctype="multipart/form-data">\(csrfField(session))
            <p><label for="f-bundle">\(e(.bundleFile))</label><br>
            <input id="f-bundle" name="bundle" type="file" accept="application/json,.json" required></p>
            <p><button type="submit">\(e(.verifyButton))</button></p></form>
            """
    }

    func verifyBundle(_ request: HTTPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let page = { (status: HTTPStatus, html: String) -> HTTPResponse in
            self.html(ConsoleHTML.page(title: t(.verifyBundle), language: language, navigation: self.navigation(session, language),
                                       body: html + self.verifyForm(session, language)),
                      status: status, language: language)
        }
        let alert = { (text: String) in "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(text))</p>" }
        let parts: [ConsoleMultipart.Part]
        do {
            guard let boundary = ConsoleMultipart.boundary(request.headers["Content-Type"]) else {
                throw ConsoleMultipart.Refusal(description: "the form must be sent as multipart/form-data")
            }
            parts = try ConsoleMultipart.parts(try body.readAll(), boundary: boundary)
        } catch let refusal as ConsoleMultipart.Refusal {
            // No token could be read, so nothing is checked: refused like a form without a token.
            return csrfRefusal(session, language, detail: refusal.description)
        }
        let csrf = parts.first { $0.name == "csrf" }.map { String(decoding: $0.bytes, as: UTF8.self) }
        guard ConsoleSessions.csrfMatches(session, csrf) else { return csrfRefusal(session, language) }
        if let refusal = refusal(session, .post, "/console/audit/verify", language: language) { return refusal }
        guard let bundle = parts.first(where: { $0.name == "bundle" })?.bytes, !bundle.isEmpty else {
            return page(.badRequest, alert(t(.bundleEmpty)))
        }
        guard bundle.count <= Self.maxBundleBytes else { return page(.contentTooLarge, alert(t(.bundleTooLarge))) }
        let report = EvidenceVerifier.verify(bundle, root: context.trust.root, currentCRL: context.trust.crl).report
        let rows: [[ConsoleHTML.Cell]] = report.checks.map { check in
            let outcome = switch check.outcome {
            case .passed: "ok"
            case .failed: "FAIL"
            case .notice: "note"
            }
            return [.text(check.name), .text(outcome), .text(check.detail)]
        }
        let result = report.succeeded ? t(.verifyResultOK) : t(.verifyResultFailed) + " " + report.failed.map(\.name).joined(separator: ", ")
        let html = "<p class=\"message\" role=\"status\">\(ConsoleHTML.escape(result))</p>"
            + ConsoleHTML.table(caption: t(.verifyBundle), headers: [t(.check), t(.outcome), t(.detail)], rows: rows, empty: t(.none))
        return page(report.succeeded ? .ok : HTTPStatus(code: 422, reasonPhrase: "Unprocessable Content"), html)
    }
}
