import Foundation
import VerbundHTTP
import VerbundTransport

/// Transfers: every transfer with its state and the bytes moved so far, and suspend/resume/terminate buttons (CSRF
/// forms that post to the API's own routes). The page works without JavaScript; `ConsoleTransfersScript` (same
/// origin, no inline script, so the CSP `default-src 'self'` holds) refreshes state and bytes every few seconds from
/// `GET /console/transfers/progress`.
extension ConsoleRoutes {
    func transfers(_ session: ConsoleSessions.Session, _ language: ConsoleLanguage, query: HTTPRequest) -> (title: String, body: String) {
        let t = { (key: ConsoleText) in ConsoleMessages.text(key, language) }
        let e = { (key: ConsoleText) in ConsoleHTML.escape(t(key)) }
        let title = t(.transfers)
        let (answer, paging) = pagedCall("/api/transfers", session, requested: query.target.query.first { $0.name == "seite" }?.value)
        guard answer.status == 200, let list = (answer.json as? [String: Any])?["transfers"] as? [[String: Any]] else {
            return (title, "<p class=\"message\" role=\"alert\">\(ConsoleHTML.escape(t(.unavailable) + " " + answer.error))</p>")
        }
        let manages = ManagementRoutePermissions.decide(session.caller.role, .post, "/console/transfers/:pid/suspend") == .allowed
        var html = "<p>\(e(.liveNote))</p><table id=\"transfers\"><caption>\(e(.transfers))</caption><thead><tr>"
        var headers = [t(.id), t(.role), t(.partner), t(.datasetColumn), t(.format), t(.state), t(.bytes), t(.updatedAt), t(.reason)]
        if manages { headers.append(t(.actions)) }
        html += headers.map { "<th scope=\"col\">\(ConsoleHTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for transfer in list {
            let pid = transfer["pid"] as? String ?? ""
            let state = transfer["state"] as? String ?? ""
            let cells = [pid, transfer["role"] as? String ?? "", transfer["peer"] as? String ?? "", transfer["dataset"] as? String ?? "",
                         transfer["format"] as? String ?? ""].map { "<td>\(ConsoleHTML.escape($0))</td>" }.joined()
            html += "<tr data-pid=\"\(ConsoleHTML.escape(pid))\">\(cells)<td data-field=\"state\">\(ConsoleHTML.escape(state))</td>"
                + "<td data-field=\"bytes\">\((transfer["bytes"] as? NSNumber)?.int64Value ?? 0)</td>"
                + "<td>\(ConsoleHTML.escape(transfer["updatedAt"] as? String ?? ""))</td>"
                + "<td>\(ConsoleHTML.escape(transfer["reason"] as? String ?? ""))</td>"
            if manages {
                var buttons = ""
                let actions: [(String, ConsoleText)] = switch state {
                case "STARTED": [("suspend", .suspend), ("terminate", .terminate)]
                case "SUSPENDED": [("resume", .resume), ("terminate", .terminate)]
                case "COMPLETED", "TERMINATED": []
                default: [("terminate", .terminate)]
                }
                for (action, text) in actions {
                    buttons += "<form class=\"inline\" method=\"post\" action=\"/console/transfers/\(ConsoleHTML.escape(Self.pathComponent(pid)))/\(action)\">"
                        + csrfField(session) + "<button type=\"submit\" aria-label=\"\(e(text)): \(ConsoleHTML.escape(pid))\">\(e(text))</button></form> "
                }
                html += "<td>\(buttons)</td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table>" + paging.navigation("/console/transfers", language, label: title)
        if list.isEmpty { html = "<p>\(e(.none))</p>" }
        return (title, html + "<script src=\"/console/transfers.js\" defer></script>")
    }

    /// `GET /console/transfers/progress`: `[{"pid", "state", "bytes"}]` for the script; the same session and role
    /// checks as the page.
    func transferProgress(_ request: HTTPRequest) -> HTTPResponse {
        let language = language(request)
        guard let session = currentSession(request) else { return redirect("/console/login", language: language) }
        if let refusal = refusal(session, .get, "/console/transfers/progress", language: language) { return refusal }
        // The rows of the page the script runs on (`?seite=` as on the page).
        let (answer, _) = pagedCall("/api/transfers", session, requested: request.target.query.first { $0.name == "seite" }?.value)
        let list = (answer.json as? [String: Any])?["transfers"] as? [[String: Any]] ?? []
        let progress: [[String: Any]] = list.map { ["pid": $0["pid"] ?? "", "state": $0["state"] ?? "", "bytes": $0["bytes"] ?? 0] }
        let bytes = (try? JSONSerialization.data(withJSONObject: progress)) ?? Data("[]".utf8)
        return secure(HTTPResponse(status: HTTPStatus(code: answer.status == 200 ? 200 : 503, reasonPhrase: answer.status == 200 ? "OK" : "Unavailable"),
                                   contentType: "application/json", bytes: Array(bytes)), language: nil)
    }
}

/// The transfers page's script: every 3 s it reads `/console/transfers/progress` and writes state and bytes into the
/// rows it knows (by `data-pid`). Values go in as `textContent`, never as markup.
enum ConsoleTransfersScript {
    static let text = """
        "use strict";
        (function () {
          var table = document.getElementById("transfers");
          if (!table || !window.fetch) { return; }
          function refresh() {
            fetch("/console/transfers/progress" + window.location.search, { credentials: "same-origin", headers: { "Accept": "application/json" } })
              .then(function (response) { return response.ok ? response.json() : null; })
              .then(function (list) {
                if (!Array.isArray(list)) { return; }
                var rows = table.querySelectorAll("tr[data-pid]");
                for (var i = 0; i < rows.length; i++) {
                  var row = rows[i];
                  for (var j = 0; j < list.length; j++) {
                    if (list[j].pid !== row.getAttribute("data-pid")) { continue; }
                    row.querySelector('[data-field="state"]').textContent = String(list[j].state);
                    row.querySelector('[data-field="bytes"]').textContent = String(list[j].bytes);
                  }
                }
              })
              .catch(function () {});
          }
          window.setInterval(refresh, 3000);
        })();
        """
}
