import Foundation
import VerbundConnector
import VerbundDataspace
import VerbundJSON

/// `verbund datasets …` (publish, list, remove this member's datasets) and `verbund catalog` (a peer's catalog live,
/// or the federated catalog the connector crawls), all through the running connector's management API.
enum CatalogCommands {
    /// The catalog module as `verbund serve` runs it; `VERBUND_CATALOG_CRAWL_SECONDS` sets the crawl interval
    /// (default 300 s, at least 10 s); `crawlBounds` come from connector.json's `limits`.
    static func module(crawlBounds: CrawlBounds) -> CatalogModule {
        let text = ProcessInfo.processInfo.environment["VERBUND_CATALOG_CRAWL_SECONDS"] ?? ""
        guard let seconds = Double(text), seconds.isFinite, seconds >= 10 else { return CatalogModule(crawlBounds: crawlBounds) }
        return CatalogModule(crawlInterval: .milliseconds(Int64(seconds * 1000)), crawlBounds: crawlBounds)
    }

    static let configOption = OptionSpec.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG).")

    static var datasets: CommandGroup {
        CommandGroup(name: "datasets", summary: "publish, list, refresh and remove this member's datasets",
                     children: [.command(publish), .command(list), .command(DatasetRefreshCommand.refresh), .command(remove),
                               .command(DatasetExportCommand.export)])
    }

    static var publish: Command {
        Command(
            name: "publish",
            summary: "publish a data file as a dataset with DCAT-AP.de metadata and a usage policy",
            discussion: """
                The daemon copies the file into a snapshot it owns (size, SHA-256) and serves that to members that agree
                to the policy; the file stays the source 'verbund datasets refresh' and --refresh-every read again.
                A policy file is the ODRL part of an Offer in DSP's compact form (see docs/policies.md), e.g.
                  {"permission":[{"action":"use","constraint":[{"leftOperand":"count","operator":"lteq","rightOperand":5}]}]}
                Without --policy the dataset is offered for "use" to every member of the federation. A policy using
                anything Verbund cannot enforce is refused, naming the unsupported part.
                Example: verbund datasets publish --file ./parken.csv --title "Parkhäuser" --keyword Verkehr \\
                           --license http://dcat-ap.de/def/licenses/dl-by-de/2.0 --policy thueringen.json
                With --upstream the dataset is an API: members' GET/HEAD requests below the base are forwarded when
                their path and query parameters are allowed (docs/operator.md, "Datasets backed by an API"), e.g.
                  verbund datasets publish --upstream https://sensors.jena.de/FROST-Server --allow-path /v1.1/Things \\
                           --allow-query '$top' --allow-query '$filter' --credential-file /etc/verbund/frost.token \\
                           --title "Sensoren"
                """,
            options: [
                .value("file", "PATH", "The data file (on the daemon's host)."),
                .value("title", "T", "Title of the dataset (dct:title)."),
                .value("description", "D", "Description (dct:description)."),
                .repeatable("keyword", "K", "A keyword (dcat:keyword); repeat for several."),
                .repeatable("theme", "URI", "EU data theme (dcat:theme), e.g. http://publications.europa.eu/resource/authority/data-theme/TRAN; repeat for several."),
                .value("license", "URI", "Licence of the dcat-ap.de vocabulary (dct:license), e.g. http://dcat-ap.de/def/licenses/dl-by-de/2.0."),
                .value("title-en", "T", "English title (dct:title@en)."),
                .value("description-en", "D", "English description (dct:description@en)."),
                .value("landing-page", "URL", "Web page about the dataset (dcat:landingPage)."),
                .value("contact-name", "NAME", "Contact point (dcat:contactPoint): the office's name; needs --contact-email or --contact-url."),
                .value("contact-email", "ADDRESS", "The contact point's email address."),
                .value("contact-phone", "NUMBER", "The contact point's phone number."),
                .value("contact-url", "URL", "The contact point's web form."),
                .value("id", "ID", "The dataset id (default: a new urn:uuid)."),
                .value("media-type", "TYPE", "IANA media type (default: from the file name)."),
                .value("policy", "POLICY.json", "The usage policy (default: use, members only)."),
                .value("refresh-every", "INTERVAL", "Refresh from the file this often: 15m, 1h, 1d (dct:accrualPeriodicity)."),
                .value("temporal-start", "DATE", "Start of the period the data covers, YYYY-MM-DD (dct:temporal)."),
                .value("temporal-end", "DATE", "End of the period the data covers, YYYY-MM-DD (dct:temporal)."),
                .value("access-rights", "URI", "EU access right (dct:accessRights): PUBLIC, RESTRICTED, NON_PUBLIC or the full "
                       + "http://publications.europa.eu/resource/authority/access-right/… IRI."),
                .repeatable("conforms-to", "URI", "A standard or schema the data follows (dct:conformsTo); repeat for several."),
                .flag("public", "List the dataset on the public listener: the transparency page and the DCAT-AP.de harvest endpoint."),
                configOption,
                .flag("json", "Print the published dataset as JSON."),
            ] + ProvenancePublishOptions.options + UpstreamPublishOptions.options
        ) { arguments, console in
            _ = try arguments.expectPositionals([])
            let upstream = try UpstreamPublishOptions.upstream(arguments)
            if upstream != nil, arguments.value("file") != nil {
                throw CLIError.usage("give --file for a file dataset or --upstream for an API, not both")
            }
            let file = upstream == nil ? absolute(try arguments.required("file")) : ""
            var publication = DatasetPublication(
                file: file, title: try arguments.required("title"), description: arguments.value("description"),
                keywords: arguments.values("keyword"), theme: arguments.values("theme").first, license: arguments.value("license"),
                id: arguments.value("id"), mediaType: arguments.value("media-type"))
            publication.themes = Array(arguments.values("theme").dropFirst())
            publication.refreshEvery = arguments.value("refresh-every")
            publication.upstream = upstream
            publication.titleEnglish = arguments.value("title-en")
            publication.descriptionEnglish = arguments.value("description-en")
            publication.landingPage = arguments.value("landing-page")
            if arguments.value("temporal-start") != nil || arguments.value("temporal-end") != nil {
                publication.temporal = .init(start: arguments.value("temporal-start"), end: arguments.value("temporal-end"))
            }
            publication.accessRights = arguments.value("access-rights").map { value in
                value.contains(":") ? value : "http://publications.europa.eu/resource/authority/access-right/" + value.uppercased()
            }
            publication.conformsTo = arguments.values("conforms-to")
            if arguments.flag("public") { publication.transparency = true }
            try ProvenancePublishOptions.apply(arguments, to: &publication)
            let contact = (arguments.value("contact-email"), arguments.value("contact-phone"), arguments.value("contact-url"))
            if let name = arguments.value("contact-name") {
                publication.contactPoint = .init(name: name, email: contact.0, phone: contact.1, url: contact.2)
            } else if contact.0 != nil || contact.1 != nil || contact.2 != nil {
                throw CLIError.usage("--contact-email, --contact-phone and --contact-url need --contact-name")
            }
            if let every = publication.refreshEvery, RefreshInterval(every) == nil {
                throw CLIError.usage("--refresh-every \(TerminalText.shown(every)) is not an interval; use e.g. 15m, 1h or 1d")
            }
            if let policyFile = arguments.value("policy") {
                publication.policy = try readPolicy(policyFile)
            }
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let body: [UInt8]
            do { body = Array(try ManagementJSON.encoder().encode(publication)) } catch {
                throw CLIError.refused("encoding the publication failed: \(error)")
            }
            let response = try client.send(.post, "/api/catalog/datasets", body: body)
            let summary = try client.decode(response, as: PublishedDatasetSummary.self)
            if arguments.flag("json") {
                console.out(text(response.body))
                return
            }
            console.out("published \(TerminalText.shown(summary.id)): \(TerminalText.shown(summary.title))")
            if let api = summary.upstream {
                console.out("  api      \(TerminalText.shown(api.base)) (paths \(TerminalText.shown(api.pathPrefixes.joined(separator: " "))))")
                if let credential = api.credentialFile { console.out("  secret   read from \(TerminalText.shown(credential))") }
            } else {
                console.out("  file     \(TerminalText.shown(summary.file)) (\(summary.byteSize.map { "\($0) bytes" } ?? "?"), \(TerminalText.shown(summary.mediaType, or: "?")))")
                console.out("  sha-256  \(TerminalText.shown(summary.sha256, or: "?"))")
            }
            if let every = summary.refreshEvery { console.out("  refresh  every \(TerminalText.shown(every))") }
            if summary.transparency == true { console.out("  public   listed on the transparency page and the DCAT-AP.de harvest endpoint") }
            if summary.open == true { console.out("  open     anyone may download it from the public listener at /open/\(TerminalText.shown(summary.id))") }
            for offer in summary.offers { console.out("  offer    \(TerminalText.shown(offer.terms))") }
        }
    }

    static var list: Command {
        Command(
            name: "list", summary: "list the datasets this member publishes",
            discussion: "Example: verbund datasets list --config ./jena/connector.json",
            options: [configOption, .flag("json", "Print the datasets as JSON.")]
        ) { arguments, console in
            _ = try arguments.expectPositionals([])
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let response = try client.send(.get, "/api/catalog/datasets")
            let datasets = try client.decode(response, as: [PublishedDatasetSummary].self)
            if arguments.flag("json") {
                console.out(text(response.body))
                return
            }
            guard !datasets.isEmpty else {
                console.out("no datasets published; add one with 'verbund datasets publish'")
                return
            }
            for dataset in datasets {
                console.out("\(TerminalText.shown(dataset.id))  \(TerminalText.shown(dataset.title))  (\(dataset.byteSize.map { "\($0) bytes" } ?? "?"))")
                for line in DatasetRefreshCommand.lines(dataset) { console.out("    " + line) }
                if dataset.open == true {
                    console.out("    open: /open/\(TerminalText.shown(dataset.id)) on the public listener, \(dataset.openDownloads ?? 0) downloads")
                }
                for offer in dataset.offers { console.out("    offer: \(TerminalText.shown(offer.terms))") }
            }
        }
    }

    static var remove: Command {
        Command(
            name: "remove", summary: "stop publishing a dataset", arguments: "ID",
            discussion: "Agreements already made stay valid; new peers no longer see the dataset.\nExample: verbund datasets remove parken",
            options: [configOption, .flag("json", "Print {\"removed\": ID} as JSON.")]
        ) { arguments, console in
            let id = try arguments.expectPositionals(["ID"])[0]
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let encoded = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
            _ = try client.decode(try client.send(.delete, "/api/catalog/datasets/" + encoded), as: [String: String].self)
            console.out(arguments.flag("json") ? MemberJSON.text(["removed": .string(id)] as JSONValue) : "removed \(TerminalText.shown(id))")
        }
    }

    static var catalog: Command {
        Command(
            name: "catalog", summary: "browse a peer's catalog or the federated catalog",
            discussion: """
                --peer MEMBER fetches that member's catalog live through the connector (all pages; --search is passed on
                as a DSP filter). --all (the default) lists the federated catalog the connector crawls from all active
                members, searched with full text (title, description, keywords, provider) and narrowed with --member,
                --keyword and --limit. --crawl crawls now first.
                Each dataset shows its provider, title and offer terms in plain words.
                Example: verbund catalog --all --search parken
                """,
            options: [
                .value("peer", "MEMBER", "Fetch this member's catalog live."),
                .flag("all", "List the federated catalog (default)."),
                .value("search", "TEXT", "Only datasets matching every word."),
                .value("member", "MEMBER", "Only datasets of this member (with --all)."),
                .value("keyword", "WORD", "Only datasets with this keyword (whole word)."),
                .value("limit", "N", "At most N datasets (with --all; 1 to 10000, default 1000)."),
                .flag("crawl", "Crawl all members now before listing (with --all)."),
                configOption,
                .flag("json", "Print the datasets as JSON."),
            ]
        ) { arguments, console in
            _ = try arguments.expectPositionals([])
            let narrowing = ["member", "keyword", "limit"].filter { arguments.value($0) != nil }
            if arguments.value("peer") != nil
                && (arguments.flag("all") || arguments.flag("crawl") || narrowing.contains(where: { $0 != "keyword" })) {
                throw CLIError.usage("verbund catalog: --peer MEMBER fetches one catalog live; --all, --crawl, --member "
                    + "and --limit work on the federated catalog. Give one or the other.")
            }
            if let limit = arguments.value("limit"), Int(limit).map({ !(1...10_000).contains($0) }) ?? true {
                throw CLIError.usage("verbund catalog: --limit takes a whole number from 1 to 10000, not '\(limit)'.")
            }
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let search = arguments.value("search").map { "search=" + ManagementClient.queryValue($0) }
            let path: String
            if let peer = arguments.value("peer") {
                let keyword = arguments.value("keyword").map { "keyword=" + ManagementClient.queryValue($0) }
                let queryString = [search, keyword].compactMap { $0 }.joined(separator: "&")
                path = "/api/catalog/peers/" + ManagementClient.queryValue(peer) + (queryString.isEmpty ? "" : "?" + queryString)
            } else {
                if arguments.flag("crawl") {
                    _ = try client.decode(try client.send(.post, "/api/catalog/crawl"), as: CrawlReport.self)
                }
                let parameters = [search] + narrowing.map { name in arguments.value(name).map { name + "=" + ManagementClient.queryValue($0) } }
                let queryString = parameters.compactMap { $0 }.joined(separator: "&")
                path = "/api/catalog/federated" + (queryString.isEmpty ? "" : "?" + queryString)
            }
            let response = try client.send(.get, path)
            let listing = try client.decode(response, as: CatalogListing.self)
            if arguments.flag("json") {
                console.out(text(response.body))
                return
            }
            for line in lines(listing, live: arguments.value("peer") != nil, crawled: arguments.flag("crawl")) { console.out(line) }
            for (member, problem) in listing.problems.sorted(by: { $0.key < $1.key }) {
                console.err("warning: member \(TerminalText.shown(member)) was not crawled last time: \(TerminalText.shown(problem))")
            }
        }
    }

    /// The listing as text; an empty federated catalog says how old it is and how to crawl now.
    static func lines(_ listing: CatalogListing, live: Bool = true, crawled: Bool = false, now: Date = Date()) -> [String] {
        guard !listing.datasets.isEmpty else {
            guard !live, !crawled else { return ["No datasets found."] }
            guard let last = listing.lastCrawl else {
                return ["No datasets found: the federated catalog has not been crawled yet. "
                    + "Run `verbund catalog --crawl` to crawl every member now."]
            }
            return ["No datasets found in the federated catalog, last crawled \(PeersCommand.age(since: last, now: now)). "
                + "Run `verbund catalog --crawl` to crawl every member now."]
        }
        var lines: [String] = []
        for entry in listing.datasets {
            lines.append("\(TerminalText.shown(entry.providerName)) (\(TerminalText.shown(entry.provider)))  \(TerminalText.shown(entry.title))")
            lines.append("    id: \(TerminalText.shown(entry.id))")
            for offer in entry.offers { lines.append("    offer \(TerminalText.shown(offer.id)): \(TerminalText.shown(offer.terms))") }
        }
        return lines
    }

    private static func readPolicy(_ path: String) throws(CLIError) -> JSONValue {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .refused(FileProblem.describe(path: path, what: "the policy file"))
        }
        do { return try JSONProblem.decode(JSONValue.self, from: Array(data)) } catch {
            throw .refused("the policy file \(path) is not valid JSON: \(error)")
        }
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }


    /// The API's JSON as it came, made inert for the terminal (peers' titles and terms are in it).
    private static func text(_ body: [UInt8]) -> String {
        TerminalText.json(String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
