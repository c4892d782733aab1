import Foundation
import VerbundDataspace

/// The public transparency page as HTML: server-rendered, no script, one stylesheet from the same origin
/// (`TransparencyPage.stylesheet`), landmarks, a skip link, tables with captions and header cells, the language of the
/// page and of each part in another language marked (WCAG 2.1 AA: 1.3.1, 2.4.1, 3.1.1, 3.1.2). Every text from the
/// report is escaped.
package enum TransparencyPage {
    package static func html(_ report: TransparencyReport, language: TransparencyLanguage, dcatPath: String) -> String {
        func t(_ key: TransparencyText.Key) -> String { escape(TransparencyText.text(key, language)) }
        let city = escape(report.member.name)
        let other = TransparencyText.text(.languageName, language)
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(t(.title).replacingOccurrences(of: "%@", with: city))</title>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/json" href="/transparency.json">
            </head>
            <body>
            <a class="skip" href="#main">\(t(.skip))</a>
            <header>
            <p class="brand">Verbund · \(city)</p>
            <nav aria-label="\(t(.navigationLanguage))"><a href="/?lang=\(other)" hreflang="\(other)" lang="\(other)">\(t(.languageSwitch))</a></nav>
            </header>
            <main id="main">
            <h1>\(t(.title).replacingOccurrences(of: "%@", with: city))</h1>
            <p>\(t(.intro).replacingOccurrences(of: "%@", with: city))</p>
            <p class="generated">\(t(.generated)): \(time(report.generatedAt, withTime: true))</p>

            """
        html += datasets(report, language: language)
        html += contracts(report, language: language)
        html += treeHead(report, language: language)
        html += """
            </main>
            <footer>
            <h2>\(t(.machineReadable))</h2>
            <ul>
            <li><a href="/transparency.json" type="application/json">\(t(.json))</a></li>
            <li><a href="\(escape(dcatPath))">\(t(.dcat))</a></li>
            </ul>
            </footer>
            </body>
            </html>

            """
        return html
    }

    static func datasets(_ report: TransparencyReport, language: TransparencyLanguage) -> String {
        func t(_ key: TransparencyText.Key) -> String { escape(TransparencyText.text(key, language)) }
        var html = "<section aria-labelledby=\"datasets\">\n<h2 id=\"datasets\">\(t(.datasets))</h2>\n"
        guard !report.datasets.isEmpty else { return html + "<p>\(t(.noDatasets))</p>\n</section>\n" }
        // Terms the preview's sentences cannot express are shown in the technical words, which are English.
        if language == .german, report.datasets.contains(where: { dataset in
            dataset.terms.indices.contains { words(dataset, offer: $0, language).isEmpty } }) {
            html += "<p>\(t(.termsLanguageNote))</p>\n"
        }
        html += "<div class=\"table\" role=\"region\" aria-labelledby=\"datasets\" tabindex=\"0\">\n<table>\n"
            + "<caption>\(t(.datasetsCaption))</caption>\n<thead><tr><th scope=\"col\">\(t(.dataset))</th>"
            + "<th scope=\"col\">\(t(.terms))</th><th scope=\"col\">\(t(.license))</th><th scope=\"col\">\(t(.published))</th>"
            + "</tr></thead>\n<tbody>\n"
        for dataset in report.datasets {
            html += "<tr><th scope=\"row\"><span class=\"title\">\(escape(dataset.title))</span>"
            if let description = dataset.description { html += "<br><span class=\"description\">\(escape(description))</span>" }
            html += "</th><td>\(terms(dataset, language))</td>"
            html += "<td>\(dataset.license.map { "<a href=\"\(escape($0))\">\(escape(licenceName($0)))</a>" } ?? "–")</td>"
            html += "<td>\(dataset.published.map { time($0, withTime: false) } ?? "–")</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</div>\n</section>\n"
    }

    /// The sentences of one offer in `language`; empty when there are none (`TransparencyWording`).
    static func words(_ dataset: TransparencyReport.Dataset, offer: Int, _ language: TransparencyLanguage) -> [String] {
        guard let wording = dataset.wording, wording.indices.contains(offer) else { return [] }
        return language == .german ? wording[offer].de : wording[offer].en
    }

    /// Each offer's terms: its sentences as a list, or its technical words (English, marked as such).
    static func terms(_ dataset: TransparencyReport.Dataset, _ language: TransparencyLanguage) -> String {
        dataset.terms.indices.map { offer in
            let sentences = words(dataset, offer: offer, language)
            if sentences.isEmpty { return "<p lang=\"en\">\(escape(dataset.terms[offer]))</p>" }
            return "<ul class=\"terms\">" + sentences.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        }.joined()
    }

    static func contracts(_ report: TransparencyReport, language: TransparencyLanguage) -> String {
        func t(_ key: TransparencyText.Key) -> String { escape(TransparencyText.text(key, language)) }
        var html = "<section aria-labelledby=\"contracts\">\n<h2 id=\"contracts\">\(t(.contracts))</h2>\n"
        guard !report.partnerships.isEmpty else { return html + "<p>\(t(.noContracts))</p>\n</section>\n" }
        let titles = Dictionary(report.datasets.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        html += "<div class=\"table\" role=\"region\" aria-labelledby=\"contracts\" tabindex=\"0\">\n<table>\n"
            + "<caption>\(t(.contractsCaption))</caption>\n<thead><tr><th scope=\"col\">\(t(.dataset))</th>"
            + "<th scope=\"col\">\(t(.partner))</th><th scope=\"col\">\(t(.purpose))</th><th scope=\"col\">\(t(.since))</th>"
            + "<th scope=\"col\" class=\"number\">\(t(.contractCount))</th><th scope=\"col\" class=\"number\">\(t(.transfers))</th>"
            + "</tr></thead>\n<tbody>\n"
        for row in report.partnerships {
            let purposes = row.purposes.isEmpty ? t(.noPurpose) : row.purposes.map(escape).joined(separator: "<br>")
            html += "<tr><td>\(escape(titles[row.dataset] ?? row.dataset))</td><td>\(escape(row.partnerName))</td>"
                + "<td>\(purposes)</td><td>\(time(row.since, withTime: false))</td>"
                + "<td class=\"number\">\(row.contracts)</td><td class=\"number\">\(row.transfers)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</div>\n</section>\n"
    }

    static func treeHead(_ report: TransparencyReport, language: TransparencyLanguage) -> String {
        func t(_ key: TransparencyText.Key) -> String { escape(TransparencyText.text(key, language)) }
        var html = "<section aria-labelledby=\"log\">\n<h2 id=\"log\">\(t(.treeHead))</h2>\n<p>\(t(.treeHeadIntro))</p>\n"
        guard let head = report.treeHead else { return html + "<p>\(t(.noTreeHead))</p>\n</section>\n" }
        html += "<dl>\n<dt>\(t(.logSize))</dt><dd>\(head.size)</dd>\n"
            + "<dt>\(t(.rootHash))</dt><dd><code class=\"hash\">\(escape(head.rootHash))</code></dd>\n"
            + "<dt>\(t(.signedAt))</dt><dd>\(time(head.timestamp, withTime: true))</dd>\n"
            + "<dt>\(t(.signature))</dt><dd><details><summary>JWS</summary><code class=\"hash\">\(escape(head.signed))</code></details></dd>\n"
            + "</dl>\n"
        return html + "</section>\n"
    }

    /// A `<time>` element with the UTC day (and time).
    static func time(_ date: Date, withTime: Bool) -> String {
        let full = XSDDateTime.format(date)
        let shown = withTime ? full.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
            : XSDDateTime.formatDay(date)
        return "<time datetime=\"\(full)\">\(shown)</time>"
    }

    /// The licence's short name from its dcat-ap.de IRI (`…/licenses/dl-by-de/2.0` → `dl-by-de/2.0`).
    static func licenceName(_ iri: String) -> String {
        let base = "http://dcat-ap.de/def/licenses/"
        return iri.hasPrefix(base) ? String(iri.dropFirst(base.count)) : iri
    }

    /// HTML text and attribute escaping (HTML Living Standard §13.1.2.6 characters that end text or a quoted value).
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The page's stylesheet: system fonts, contrast above 7:1 for text and links, a visible focus ring, tables that
    /// scroll inside their region on small screens.
    package static let stylesheet = """
        :root { color: #1a1a1a; background: #ffffff; font-family: system-ui, sans-serif; line-height: 1.5; }
        body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 2rem; }
        a { color: #0b4f8a; text-decoration: underline; }
        a:focus, [tabindex]:focus, summary:focus { outline: 3px solid #b35900; outline-offset: 2px; }
        .skip { position: absolute; left: -10000px; }
        .skip:focus { position: static; }
        header { display: flex; justify-content: space-between; align-items: center; border-bottom: 2px solid #0b4f8a; }
        .brand { font-weight: bold; }
        h1 { font-size: 1.75rem; }
        h2 { font-size: 1.35rem; margin-top: 2rem; }
        .generated { color: #404040; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; }
        caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
        th, td { border: 1px solid #767676; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
        thead th { background: #e8eef5; }
        tbody th { font-weight: normal; }
        .title { font-weight: bold; }
        .description { color: #333333; }
        .number { text-align: right; }
        .terms { margin: 0; padding-left: 1.2rem; }
        td p { margin: 0; }
        .hash { word-break: break-all; font-size: 0.9rem; }
        dt { font-weight: bold; }
        dd { margin: 0 0 0.75rem 0; }
        footer { margin-top: 3rem; border-top: 1px solid #767676; }

        """
}
