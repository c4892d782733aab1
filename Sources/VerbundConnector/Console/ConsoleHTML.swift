/// HTML the console writes. Every value that is not a literal of this file goes through `escape` — dataset titles,
/// member names and refusal reasons come from peers and are hostile (HTML 5.2 §8.1.4 character references).
package enum ConsoleHTML {
    /// The text with `& < > " '` replaced by character references: safe in element content and in quoted attributes.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Contrast on white: text #1a1a1a 17.4:1, links #0b4f8a 8.4:1, borders #595959 7:1, the 3px focus outline #b35900 4.8:1.
    static let style = """
        body{font-family:system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0;line-height:1.5}
        a{color:#0b4f8a}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #b35900;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
        header,main{padding:0 1rem}nav ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
        table{border-collapse:collapse}th,td{border:1px solid #595959;padding:.25rem .5rem;text-align:left}
        .message{border-left:4px solid #0b4f8a;padding-left:.5rem}form.inline{display:inline}
        button{font:inherit;padding:.25rem .75rem}fieldset{border:1px solid #595959;margin:1rem 0}
        input,select,textarea{font:inherit;border:1px solid #595959;max-width:100%}
        input[type=text],input[type=url],input[type=email],input[type=search],input:not([type]),textarea{width:36rem}
        td input:not([type]){width:12rem}
        .preview{border:2px solid #0b4f8a;padding:0 1rem;margin:1rem 0}.warn{background:#fff3cd;font-weight:bold}
        progress{width:8rem}
        """

    /// A whole page: `body` is HTML already escaped by its maker; `navigation` is nil on the login page.
    static func page(title: String, language: ConsoleLanguage, navigation: String?, body: String) -> String {
        let t = { (key: ConsoleText) in escape(ConsoleMessages.text(key, language)) }
        let other: ConsoleLanguage = language == .de ? .en : .de
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) – \(t(.title))</title><link rel="stylesheet" href="/console/style.css"></head>
            <body><a class="skip" href="#inhalt">\(t(.skip))</a>
            <header><p><strong>\(t(.title))</strong> · <a href="?lang=\(other.rawValue)" lang="\(other.rawValue)">\(t(.language))</a></p>
            \(navigation ?? "")</header>
            <main id="inhalt" tabindex="-1"><h1>\(escape(title))</h1>
            \(body)
            </main></body></html>
            """
    }

    /// A table with a header row; cells are escaped here unless they are given as `.html`.
    enum Cell { case text(String), html(String) }

    static func table(caption: String, headers: [String], rows: [[Cell]], empty: String) -> String {
        guard !rows.isEmpty else { return "<p>\(escape(empty))</p>" }
        var html = "<table><caption>\(escape(caption))</caption><thead><tr>"
        for header in headers { html += "<th scope=\"col\">\(escape(header))</th>" }
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for cell in row {
                switch cell {
                case let .text(text): html += "<td>\(escape(text))</td>"
                case let .html(markup): html += "<td>\(markup)</td>"
                }
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }
}
