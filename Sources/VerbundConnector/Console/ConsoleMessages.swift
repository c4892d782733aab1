/// The console's languages: German by default, English on request (`?lang=en` or the `lang` cookie).
package enum ConsoleLanguage: String, Sendable, CaseIterable {
    case de
    case en

    /// `?lang=` wins over the cookie; anything else is German.
    package static func chosen(query: String?, cookie: String?) -> ConsoleLanguage {
        ConsoleLanguage(rawValue: query ?? "") ?? ConsoleLanguage(rawValue: cookie ?? "") ?? .de
    }
}

/// Every text the console shows, one key per text; `ConsoleMessages` holds it in each language.
package enum ConsoleText: String, Sendable, CaseIterable {
    case title, skip, login, logout, account, secret, loginFailed, loginLocked, loggedOut, sessionRequired
    case overview, datasets, negotiations, forbidden, forbiddenDetail, csrfFailed, unavailable
    case health, endpoint, federation, registryIssued, members, outbox, auditSize, peersReachable
    case needsAttention, nothingNeedsAttention, attentionHealth, attentionOutbox, attentionPeers
    case id, datasetTitle, file, refresh, remove, none, actions, done
    case state, partner, datasetColumn, reason, role, language
    case membership, registrySerial, crlNextUpdate, treeHead
    case federationPage, name, memberStatus, reachable, lastContact, lastError, yes, no, unknown
    case auditPage, ownTreeHead, peerTreeHeads, treeSize, rootHash, signedAt, checkedAt, problem
    // The publish form (`ConsolePublishPage`).
    case publishNew, metadataGroup, datasetDescription, keywordsField, themesField, licenseField, noLicense
    case contactName, contactEmail, contactURL, sourceGroup, sourceHint, filePath, upstreamBase, pathPrefix
    case policyGroup, policyHint, membersField, regionsField, regionsHint, validFrom, validUntil, countField, purposesField
    case listHint, preview, previewHeading, previewAllHold, technicalWords, publish, published, changedSincePreview
    case notADate, notACount, untilBeforeFrom, formProblems, transparencyField, transparencyHint
    // Protokoll's log entries (`ConsoleAuditEntries`).
    case logEntries, entryKind, entryKindHint, entryID, entryIDHint, fromDay, untilDay, filterButton, entriesFound
    case entryIndex, entryTime, entryFields
    // Contracts, transfers, evidence check, certificates.
    case contracts, contract, terms, purpose, finalizedAt, signing, signatures, signer, algorithm, verified, signaturesNeedRole
    case transfersUsed, transfersRemaining, unlimited, countedByProvider, countedHere, evidenceDownload, party
    case transfers, format, bytes, updatedAt, suspend, resume, terminate, liveNote
    case verifyBundle, bundleFile, verifyButton, check, outcome, detail, bundleTooLarge, bundleEmpty, verifyResultOK, verifyResultFailed
    case certificates, certificateExpiry, ownCertificate, expiresIn, expiresSoon, expired, days
    // Accounts.
    case accountsPage, addAccount, accountNameHint, resetSecret, removeAccount, secretOnce, accountAdded, accountReset
    case attentionOwnCertificate, attentionMemberCertificate
    // Katalog.
    case catalog, searchField, keywordFilter, searchButton, crawlNow, negotiate, negotiationStarted, lastCrawl, catalogLimit
}

/// The console's message table: a text for every key in every language (`ConsoleMessagesTests` checks it).
package enum ConsoleMessages {
    package static let table: [ConsoleLanguage: [ConsoleText: String]] = [
        .de: german.merging(ConsoleWorkMessages.german) { first, _ in first },
        .en: english.merging(ConsoleWorkMessages.english) { first, _ in first },
    ]

    package static func text(_ key: ConsoleText, _ language: ConsoleLanguage) -> String {
        table[language]?[key] ?? table[.de]?[key] ?? key.rawValue
    }

    static let german: [ConsoleText: String] = [
        .title: "Verbund-Konsole", .skip: "Zum Inhalt springen", .login: "Anmelden", .logout: "Abmelden",
        .account: "Kontoname", .secret: "Geheimnis", .loginFailed: "Kontoname oder Geheimnis stimmt nicht.",
        .loginLocked: "Zu viele fehlgeschlagene Anmeldungen; bitte in einer Minute erneut versuchen.",
        .loggedOut: "Sie sind abgemeldet.", .sessionRequired: "Bitte melden Sie sich an.",
        .overview: "Übersicht", .datasets: "Datensätze", .negotiations: "Verhandlungen und Verträge",
        .forbidden: "Keine Berechtigung",
        .forbiddenDetail: "Ihre Rolle darf diese Seite oder Aktion nicht verwenden. Rollen, die es dürfen:",
        .csrfFailed: "Das Formular ist abgelaufen oder ungültig. Bitte laden Sie die Seite neu.",
        .unavailable: "Die Daten sind gerade nicht verfügbar:",
        .health: "Zustand", .endpoint: "Endpunkt", .federation: "Föderation", .registryIssued: "Register ausgestellt",
        .members: "Mitglieder (aktiv/gesamt)", .outbox: "Ausgehende Nachrichten in Warteschlange",
        .auditSize: "Einträge im Prüfprotokoll", .peersReachable: "Erreichbare Partner",
        .needsAttention: "Braucht Aufmerksamkeit", .nothingNeedsAttention: "Nichts braucht Aufmerksamkeit.",
        .attentionHealth: "Der Connector meldet einen Zustand ungleich „ok“: Protokoll des Dienstes prüfen (docs/operator.md).",
        .attentionOutbox: "Nachrichten warten auf Zustellung: Erreichbarkeit der Partner prüfen.",
        .attentionPeers: "Partner sind nicht erreichbar: Netz und Zertifikate prüfen.",
        .id: "Kennung", .datasetTitle: "Titel", .file: "Datei", .refresh: "Aktualisieren", .remove: "Entfernen",
        .none: "Keine Einträge.", .actions: "Aktionen", .done: "Erledigt.",
        .state: "Zustand", .partner: "Partner", .datasetColumn: "Datensatz", .reason: "Begründung", .role: "Rolle",
        .language: "English", .membership: "Eigene Mitgliedschaft", .registrySerial: "Seriennummer des Registers",
        .crlNextUpdate: "Nächste Sperrliste fällig", .treeHead: "Letzter signierter Baumkopf (Größe, Wurzel, Zeit)",
        .federationPage: "Föderation", .name: "Name", .memberStatus: "Status im Register", .reachable: "Erreichbar",
        .lastContact: "Letzter Kontakt", .lastError: "Letzter Fehler", .yes: "ja", .no: "nein", .unknown: "unbekannt",
        .auditPage: "Protokoll", .ownTreeHead: "Eigener signierter Baumkopf", .peerTreeHeads: "Baumköpfe der Partner",
        .treeSize: "Größe", .rootHash: "Wurzel-Hash", .signedAt: "Signiert", .checkedAt: "Geprüft", .problem: "Problem",
    ]

    static let english: [ConsoleText: String] = [
        .title: "Verbund console", .skip: "Skip to content", .login: "Log in", .logout: "Log out",
        .account: "Account name", .secret: "Secret", .loginFailed: "Account name or secret is wrong.",
        .loginLocked: "Too many failed logins; please try again in a minute.",
        .loggedOut: "You are logged out.", .sessionRequired: "Please log in.",
        .overview: "Overview", .datasets: "Datasets", .negotiations: "Negotiations and contracts",
        .forbidden: "Not permitted",
        .forbiddenDetail: "Your role may not use this page or action. Roles that may:",
        .csrfFailed: "The form has expired or is invalid. Please reload the page.",
        .unavailable: "The data is not available right now:",
        .health: "Health", .endpoint: "Endpoint", .federation: "Federation", .registryIssued: "Registry issued",
        .members: "Members (active/total)", .outbox: "Outgoing messages queued",
        .auditSize: "Audit log entries", .peersReachable: "Reachable peers",
        .needsAttention: "Needs attention", .nothingNeedsAttention: "Nothing needs attention.",
        .attentionHealth: "The connector reports a health other than “ok”: check the service's log (docs/operator.md).",
        .attentionOutbox: "Messages wait for delivery: check that the peers are reachable.",
        .attentionPeers: "Peers are unreachable: check the network and certificates.",
        .id: "Identifier", .datasetTitle: "Title", .file: "File", .refresh: "Refresh", .remove: "Remove",
        .none: "No entries.", .actions: "Actions", .done: "Done.",
        .state: "State", .partner: "Peer", .datasetColumn: "Dataset", .reason: "Reason", .role: "Role",
        .language: "Deutsch", .membership: "Own membership", .registrySerial: "Registry serial",
        .crlNextUpdate: "Next revocation list due", .treeHead: "Latest signed tree head (size, root, time)",
        .federationPage: "Federation", .name: "Name", .memberStatus: "Status in the registry", .reachable: "Reachable",
        .lastContact: "Last contact", .lastError: "Last error", .yes: "yes", .no: "no", .unknown: "unknown",
        .auditPage: "Audit log", .ownTreeHead: "Own signed tree head", .peerTreeHeads: "Peers' tree heads",
        .treeSize: "Size", .rootHash: "Root hash", .signedAt: "Signed", .checkedAt: "Checked", .problem: "Problem",
    ]
}
