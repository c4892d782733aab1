import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundJSON
import VerbundTransport
import VerbundTrust

/// Datensätze → veröffentlichen: the form (`ConsolePublishForm`), a server-rendered preview of what the policy means
/// (`ConsolePolicyWords`), and only then the publication, posted as JSON to the API's own `POST /api/catalog/datasets`
/// — its validation decides and its refusal is shown in the form. Publishing needs the fingerprint of the body the
/// preview showed, so nothing is published that the steward has not seen in words.
extension ConsoleRoutes {
    static let publishFormLimit = 64 * 1024

    func publishForm(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage) -> (title: String, body: String) {
        (ConsoleMessages.text(.publishNew, language), publishFormHTML(ConsolePublishForm(), session, language, preview: nil))
    }

    /// `POST /console/datasets/publish`: `step=preview` shows the preview; `step=publish` with the previewed fingerprint
    /// publishes through the API.
    func publish(_ request: HTTPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        let pairs = ConsoleForm.all(try body.readAll())
        let fields = Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard ConsoleSessions.csrfMatches(session, fields["csrf"]) else { return csrfRefusal(session, language) }
        if let refusal = refusal(session, .post, "/console/datasets/publish", language: language) { return refusal }
        let form = ConsolePublishForm(pairs)
        let title = ConsoleMessages.text(.publishNew, language)
        let page = { (notice: String, preview: String?, status: HTTPStatus) -> HTTPResponse in
            self.html(ConsoleHTML.page(title: title, language: language, navigation: self.navigation(session, language),
                                       body: notice + self.publishFormHTML(form, session, language, preview: preview)),
                 status: status, language: language)
        }
        let unprocessable = HTTPStatus(code: 422, reasonPhrase: "Unprocessable Content")
        if !form.problems.isEmpty { return page(problemsHTML(form.problems, form, language), nil, unprocessable) }
        // The policy is checked as the API will check it, so the preview never describes a policy the API refuses.
        let technical: String
        do {
            let value = try JSONDecoder().decode(JSONValue.self, from: JSONSerialization.data(withJSONObject: form.policy))
            technical = PolicyDescription.describe(try CatalogPolicyFile.offer(from: value, defaultID: "urn:console:preview"))
        } catch {
            return page(alert(ConsoleMessages.text(.formProblems, language) + " " + "\(error)"), nil, unprocessable)
        }
        let fingerprint = SHA256.hexHash(form.bodyBytes)
        let preview = previewHTML(form, technical: technical, fingerprint: fingerprint, language)
        guard fields["step"] == "publish" else { return page("", preview, .ok) }
        guard fields["previewed"] == fingerprint else { return page(alert(ConsoleMessages.text(.changedSincePreview, language)), preview, .conflict) }
        let answer = call(.post, "/api/catalog/datasets", session, body: form.bodyBytes)
        guard (200..<300).contains(answer.status) else {
            return page(alert(ConsoleMessages.text(.formProblems, language) + " " + answer.error), preview,
                        HTTPStatus(code: answer.status, reasonPhrase: "Refused"))
        }
        let id = ((answer.json as? [String: Any])?["id"] as? String) ?? ""
        let done = "<p class=\"message\" role=\"status\">\(ConsoleHTML.escape(ConsoleMessages.text(.published, language))) "
            + "<strong>\(ConsoleHTML.escape(id))</strong></p><p><a href=\"/console/datasets\">"
            + "\(ConsoleHTML.escape(ConsoleMessages.text(.datasets, language)))</a></p>"
        return html(ConsoleHTML.page(title: title, language: language, navigation: navigation(session, language), body: done),
                    status: .created, language: language)
    }

    private func alert(_ text: String) -> String { "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(text))</p>" }

    private func problemsHTML(_ problems: [ConsolePublishForm.Problem], _ form: ConsolePublishForm,
                              _ language: ConsoleLanguage) -> String {
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let items = problems.map { problem -> String in
            switch problem {
            case let .notADate(field):
                let label = field == "validFrom" ? t(.validFrom) : t(.validUntil)
                return "\(label) \(t(.notADate)) \(field == "validFrom" ? form.validFrom : form.validUntil)"
            case .notACount: return t(.notACount)
            case .untilBeforeFrom: return t(.untilBeforeFrom)
            }
        }
        return "<div role=\"alert\" class=\"message\"><p>\(ConsoleHTML.escape(t(.formProblems)))</p><ul>"
            + items.map { "<li>\(ConsoleHTML.escape($0))</li>" }.joined() + "</ul></div>"
    }

    private func previewHTML(_ form: ConsolePublishForm, technical: String, fingerprint: String,
                             _ language: ConsoleLanguage) -> String {
        let t = { (key: ConsoleText) in ConsoleHTML.escape(ConsoleMessages.text(key, language)) }
        return """
            <section aria-labelledby="vorschau" class="preview"><h2 id="vorschau">\(t(.previewHeading))</h2>
            <p>\(t(.previewAllHold))</p><ul>\(ConsolePolicyWords.sentences(form, language).map { sentence in "<li>\(ConsoleHTML.escape(sentence))</li>" }.joined())</ul>
            <p>\(t(.technicalWords)) <code>\(ConsoleHTML.escape(technical))</code></p>
            <input type="hidden" name="previewed" value="\(fingerprint)">
            <p><button type="submit" name="step" value="publish">\(t(.publish))</button></p></section>
            """
    }

    private func publishFormHTML(_ form: ConsolePublishForm, _ session: ConsoleSessions.Session, _ language: ConsoleLanguage,
                                 preview: String?) -> String {
        let t = { (key: ConsoleText) in ConsoleHTML.escape(ConsoleMessages.text(key, language)) }
        func input(_ name: String, _ label: ConsoleText, _ value: String, type: String = "text", hint: ConsoleText? = nil,
                   extra: String = "") -> String {
            let described = hint.map { _ in " aria-describedby=\"h-\(name)\"" } ?? ""
            let hintHTML = hint.map { "<br><small id=\"h-\(name)\">\(t($0))</small>" } ?? ""
            return "<p><label for=\"f-\(name)\">\(t(label))</label>\(hintHTML)<br><input id=\"f-\(name)\" name=\"\(name)\" "
                + "type=\"\(type)\" value=\"\(ConsoleHTML.escape(value))\"\(described)\(extra)></p>"
        }
        var themes = ""
        for theme in ConsolePublishForm.themeCodes {
            let checked = form.themes.contains(theme.code) ? " checked" : ""
            themes += "<label><input type=\"checkbox\" name=\"themes\" value=\"\(theme.code)\"\(checked)> "
                + "\(ConsoleHTML.escape(language == .de ? theme.de : theme.en))</label><br>"
        }
        var licences = "<option value=\"\">\(t(.noLicense))</option>"
        for licence in DCATLicence.all {
            let selected = form.license == licence.iri ? " selected" : ""
            licences += "<option value=\"\(ConsoleHTML.escape(licence.iri))\"\(selected)>\(ConsoleHTML.escape(licence.label))</option>"
        }
        return """
            <form method="post" action="/console/datasets/publish">\(csrfField(session))
            <fieldset><legend>\(t(.metadataGroup))</legend>
            \(input("title", .datasetTitle, form.title, extra: " required maxlength=\"10000\""))
            <p><label for="f-description">\(t(.datasetDescription))</label><br>
            <textarea id="f-description" name="description" rows="4" cols="60" maxlength="10000">\(ConsoleHTML.escape(form.description))</textarea></p>
            \(input("keywords", .keywordsField, form.keywords, hint: .listHint))
            <fieldset><legend>\(t(.themesField))</legend>\(themes)</fieldset>
            <p><label for="f-license">\(t(.licenseField))</label><br><select id="f-license" name="license">\(licences)</select></p>
            \(input("contactName", .contactName, form.contactName, extra: " autocomplete=\"organization\""))
            \(input("contactEmail", .contactEmail, form.contactEmail, type: "email", extra: " autocomplete=\"email\""))
            \(input("contactURL", .contactURL, form.contactURL, type: "url"))
            <p><input id="f-transparency" name="transparency" type="checkbox" value="1" aria-describedby="h-transparency"\(form.transparency ? " checked" : "")>
            <label for="f-transparency">\(t(.transparencyField))</label><br><small id="h-transparency">\(t(.transparencyHint))</small></p>
            </fieldset>
            <fieldset><legend>\(t(.sourceGroup))</legend><p id="h-source">\(t(.sourceHint))</p>
            \(input("file", .filePath, form.file, extra: " aria-describedby=\"h-source\""))
            \(input("upstream", .upstreamBase, form.upstream, type: "url"))
            \(input("pathPrefix", .pathPrefix, form.pathPrefix))
            </fieldset>
            <fieldset><legend>\(t(.policyGroup))</legend><p>\(t(.policyHint))</p>
            \(input("members", .membersField, form.members, hint: .listHint))
            \(input("regions", .regionsField, form.regions, hint: .regionsHint))
            \(input("validFrom", .validFrom, form.validFrom, type: "date"))
            \(input("validUntil", .validUntil, form.validUntil, type: "date"))
            \(input("count", .countField, form.count, type: "number", extra: " min=\"0\" step=\"1\""))
            \(input("purposes", .purposesField, form.purposes, hint: .listHint))
            </fieldset>
            \(preview ?? "")
            <p><button type="submit" name="step" value="preview">\(t(.preview))</button></p></form>
            """
    }
}
