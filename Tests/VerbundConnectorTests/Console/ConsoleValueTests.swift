import Testing
@testable import VerbundConnector

/// The console's pure parts: escaping, the message table, sessions, forms and cookies.
@Suite struct ConsoleValueTests {
    @Test func escapingLeavesNoMarkup() {
        let hostile = ["<script>alert(1)</script>", "\"><svg onload=alert(1)>", "' onmouseover='x", "&lt;", "a&b<c>d\"e'f"]
        for text in hostile {
            let escaped = ConsoleHTML.escape(text)
            #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'"))
        }
        #expect(ConsoleHTML.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(ConsoleHTML.escape("Käse – ok") == "Käse – ok")
        let table = ConsoleHTML.table(caption: "<c>", headers: ["<h>"], rows: [[.text("<td>")]], empty: "")
        #expect(!table.contains("<c>") && !table.contains("<h>") && table.contains("&lt;td&gt;"))
    }

    @Test func everyTextInEveryLanguage() {
        for language in ConsoleLanguage.allCases {
            let table = ConsoleMessages.table[language] ?? [:]
            for key in ConsoleText.allCases {
                #expect(!(table[key] ?? "").isEmpty, "\(key) has no \(language) text")
            }
            #expect(table.count == ConsoleText.allCases.count)
        }
        #expect(ConsoleMessages.text(.login, .de) != ConsoleMessages.text(.login, .en))
        #expect(ConsoleLanguage.chosen(query: nil, cookie: nil) == .de)
        #expect(ConsoleLanguage.chosen(query: "en", cookie: "de") == .en)
        #expect(ConsoleLanguage.chosen(query: nil, cookie: "en") == .en)
        #expect(ConsoleLanguage.chosen(query: "<x>", cookie: "fr") == .de)
    }

    private static let caller = ManagementCaller(name: "konto", role: .viewer, credential: .account)

    @Test func sessionsAreBoundedAndExpire() throws {
        let start = ContinuousClock.now
        var sessions = ConsoleSessions(limits: .init(maxSessions: 2, idle: .seconds(60), absolute: .seconds(300)))
        let first = try sessions.open(for: Self.caller, now: start)
        #expect(first.id.count == 64 && first.csrf.count == 64 && first.id != first.csrf)
        #expect(first.id.allSatisfy { $0.isHexDigit })
        let second = try sessions.open(for: Self.caller, now: start + .seconds(1))
        let third = try sessions.open(for: Self.caller, now: start + .seconds(2))
        #expect(sessions.count == 2)
        #expect(sessions.use(first.id, now: start + .seconds(3)) == nil, "the oldest went when the bound was reached")
        #expect(sessions.use(second.id, now: start + .seconds(3)) != nil)
        // Idle: unused for a minute.
        #expect(sessions.use(third.id, now: start + .seconds(63)) == nil)
        // Absolute: used every 50 s, still gone after 300 s.
        var now = start + .seconds(3)
        while now < start + .seconds(290) {
            now = now + .seconds(50)
            if now - start < .seconds(300) { #expect(sessions.use(second.id, now: now) != nil) }
        }
        #expect(sessions.use(second.id, now: start + .seconds(301)) == nil)
        #expect(sessions.use(nil, now: start) == nil && sessions.use("", now: start) == nil)
        let closed = try sessions.open(for: Self.caller, now: start)
        sessions.close(closed.id)
        #expect(sessions.use(closed.id, now: start) == nil)
    }

    @Test func csrfTokenMustMatchExactly() throws {
        var sessions = ConsoleSessions()
        let session = try sessions.open(for: Self.caller, now: .now)
        #expect(ConsoleSessions.csrfMatches(session, session.csrf))
        #expect(!ConsoleSessions.csrfMatches(session, nil))
        #expect(!ConsoleSessions.csrfMatches(session, ""))
        #expect(!ConsoleSessions.csrfMatches(session, String(session.csrf.dropLast())))
        #expect(!ConsoleSessions.csrfMatches(session, session.csrf + "0"))
        #expect(!ConsoleSessions.csrfMatches(session, session.id))
    }

    @Test func formsAndCookies() {
        let fields = ConsoleForm.fields(Array("account=k%C3%A4mmerei&secret=a+b%26c%3D&account=zweites&leer&%ZZ=x".utf8))
        #expect(fields["account"] == "kämmerei", "the first value wins")
        #expect(fields["secret"] == "a b&c=")
        #expect(fields["leer"] == "")
        #expect(fields.count == 3)
        #expect(ConsoleForm.cookie("verbund_console", in: "a=1; verbund_console=abc; b=2") == "abc")
        #expect(ConsoleForm.cookie("verbund_console", in: "xverbund_console=abc") == nil)
        #expect(ConsoleForm.cookie("verbund_console", in: nil) == nil)
    }
}
