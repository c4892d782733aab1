import Foundation
import VerbundConnector
import VerbundDataspace
import VerbundJSON
import VerbundStore

/// `verbund datasets export`: the member's own catalog as DCAT-AP.de RDF for GovData and state portals, written to a
/// file (or stdout) that the city's web server serves to the harvester. It reads the connector's database read-only,
/// so it works while `verbund serve` runs and without it; nothing is opened to the network (docs/dcat-ap-de.md).
enum DatasetExportCommand {
    /// At most this many datasets go into one export; more are refused rather than silently cut.
    static let maximumDatasets = 10_000

    static var export: Command {
        Command(
            name: "export",
            summary: "write this member's catalog as DCAT-AP.de RDF (Turtle, RDF/XML or JSON-LD) for open-data portals",
            discussion: """
                The export describes every published dataset with an absolute IRI under the connector's DSP endpoint,
                a distribution reached through the DSP data service, and the catalog's title, publisher and
                contributor ID. Serve the file from the city's web server (for example as /dcat/catalog.ttl with
                Content-Type text/turtle) and register that URL with GovData's or the state portal's harvester.
                Example: verbund datasets export --format turtle --profile dcat-ap-de-3 \\
                           --contributor-id http://dcat-ap.de/def/contributors/stadtNuernberg --output catalog.ttl
                """,
            options: [
                .value("format", "FORMAT", "turtle (default), rdfxml or jsonld."),
                .value("profile", "PROFILE", "dcat-ap-de-3 (default) or dcat-ap-de-2: the DCAT-AP.de version the export follows."),
                .value("output", "FILE", "Write here (default: standard output)."),
                .value("title", "T", "Catalog title (default: 'Offene Daten' and the publisher's name)."),
                .value("description", "D", "Catalog description."),
                .value("homepage", "URL", "The city's open-data web page (foaf:homepage)."),
                .value("contributor-id", "URI", "dcatde:contributorID GovData assigned, http://dcat-ap.de/def/contributors/…"),
                CatalogCommands.configOption,
                .flag("json", "Print a JSON summary (datasets, profile, media type, changed keywords; the document itself without --output)."),
            ]
        ) { arguments, console in
            _ = try arguments.expectPositionals([])
            let format: DCATFormat = try arguments.value("format").map { name throws(CLIError) in
                guard let format = DCATFormat(name: name) else {
                    throw CLIError.usage("--format \(TerminalText.shown(name)) is not one of turtle, rdfxml, jsonld")
                }
                return format
            } ?? .turtle
            let profile: DCATAPDEProfile = try arguments.value("profile").map { name throws(CLIError) in
                guard let profile = DCATAPDEProfile(name: name) else {
                    throw CLIError.usage("--profile \(TerminalText.shown(name)) is not dcat-ap-de-3 or dcat-ap-de-2")
                }
                return profile
            } ?? .v3
            for (option, value) in [("homepage", arguments.value("homepage")), ("contributor-id", arguments.value("contributor-id"))] {
                if let value, !DCATIRI.isAbsolute(value) || value.contains(where: \.isWhitespace) {
                    throw CLIError.usage("--\(option) \(TerminalText.shown(value)) is not an absolute IRI (e.g. https://…)")
                }
            }
            let configuration = try ManagementClient.configuration(arguments.value("config"))
            let datasets = try readDatasets(configuration)
            let records = datasets.map(\.record)
            let publisher = records.compactMap(\.publisher).first
                ?? DatasetRecord.Publisher(id: configuration.participantId, name: configuration.memberId)
            let fields = configuration.publicCatalog
            let catalog = DCATCatalogDescription(
                title: arguments.value("title") ?? fields?.title ?? "Offene Daten \(publisher.name)",
                description: arguments.value("description") ?? fields?.description
                    ?? "Datensätze, die \(publisher.name) über den Verbund-Connector \(configuration.memberId) bereitstellt.",
                publisher: publisher, homepage: arguments.value("homepage") ?? fields?.homepage,
                contributorID: arguments.value("contributor-id") ?? fields?.contributorID,
                spatial: Array(Set(records.flatMap(\.spatial))).sorted(), endpoint: configuration.endpoint,
                downloadURLs: configuration.publicBaseURL.map { OpenDownload.urls(datasets, base: $0) } ?? [:])
            if configuration.publicBaseURL == nil, datasets.contains(where: \.open) {
                console.err("note: open datasets are listed without a download URL: connector.json has no publicBaseURL "
                    + "(the public listener's address, docs/operator.md \"Open data\")")
            }
            let text: String
            do {
                text = try DCATExport.render(records, catalog: catalog, profile: profile, format: format)
            } catch {
                throw CLIError.refused("the catalog cannot be written as \(format.rawValue): \(error)")
            }
            let changes = CKANKeyword.changes(records)
            if arguments.flag("json") {
                try write(text, to: arguments.value("output"))
                var summary: [String: JSONValue] = [
                    "datasets": .integer(Int64(records.count)), "profile": .string(profile.rawValue),
                    "mediaType": .string(format.mediaType), "output": arguments.value("output").map { .string($0) } ?? .null,
                    "keywordChanges": .array(changes.map { change -> JSONValue in
                        .object(["dataset": .string(change.dataset), "keyword": .string(change.keyword),
                                 "written": change.written.map { .string($0) } ?? .null])
                    }),
                ]
                if arguments.value("output") == nil { summary["document"] = .string(text) }
                console.out(MemberJSON.text(JSONValue.object(summary)))
                return
            }
            for change in changes {
                console.err("note: keyword \(TerminalText.shown(change.keyword)) of \(TerminalText.shown(change.dataset)) "
                    + (change.written.map { "written as \(TerminalText.shown($0))" } ?? "left out")
                    + " (CKAN tags allow letters, digits, _ - . and space, 2 to 100 characters)")
            }
            guard let output = arguments.value("output") else {
                console.out(text)
                return
            }
            try write(text, to: output)
            console.out("wrote \(records.count) datasets as DCAT-AP.de \(profile.rawValue) \(format.mediaType) to \(TerminalText.shown(output))")
        }
    }

    /// Writes the document atomically to `output`; nothing when there is none.
    static func write(_ text: String, to output: String?) throws(CLIError) {
        guard let output else { return }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw .refused("cannot write \(TerminalText.shown(output)): \(error.localizedDescription)")
        }
    }

    /// The published datasets, read in one read transaction of the connector's database.
    static func readDatasets(_ configuration: ConnectorConfiguration) throws(CLIError) -> [PublishedDataset] {
        let path = configuration.dataDirectory + "/" + Connector.databaseFileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw .refused("no database at \(path); start the connector once with `verbund serve` and publish datasets")
        }
        do {
            let database = try Database(path: path)
            defer { database.close() }
            let count = try CatalogStore(database: database).count()
            guard count <= maximumDatasets else {
                throw CLIError.refused("\(count) datasets are published, more than one export holds (\(maximumDatasets))")
            }
            return try CatalogStore(database: database).all()
        } catch let error as CLIError {
            throw error
        } catch {
            throw .refused("cannot read the published datasets from \(path): \(error)")
        }
    }
}
