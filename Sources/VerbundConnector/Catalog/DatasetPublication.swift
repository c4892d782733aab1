import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundTrust

/// What `verbund datasets publish` sends to `POST /api/catalog/datasets`: the data file and the DCAT-AP.de metadata a
/// person gives; the rest (publisher, dates, size, media type, SHA-256) the daemon derives.
package struct DatasetPublication: Sendable, Hashable, Codable {
    /// Absolute path of the data file on the daemon's host; "" (or absent in JSON) for an API dataset (`upstream`).
    package var file: String
    package var title: String
    package var description: String?
    package var keywords: [String]
    /// Theme IRI (e.g. `http://publications.europa.eu/resource/authority/data-theme/TRAN`).
    package var theme: String?
    /// License IRI (e.g. `http://dcat-ap.de/def/licenses/dl-by-de/2.0`).
    package var license: String?
    /// The dataset id; a `urn:uuid:` is made when absent.
    package var id: String?
    /// IANA media type; guessed from the file name when absent.
    package var mediaType: String?
    /// The ODRL policy in compact form; "use, members only" when absent.
    package var policy: JSONValue?
    /// How often the daemon refreshes the dataset from `file`: `15m`, `1h`, `1d` (see `RefreshInterval`); nil = only
    /// by hand (`verbund datasets refresh`).
    package var refreshEvery: String?
    /// Set for an API dataset (issue 11): the upstream the data plane forwards to, instead of a file.
    package var upstream: DatasetUpstream?
    /// Further EU data-theme IRIs beside `theme` (DCAT-AP.de allows several).
    package var themes: [String] = []
    /// The DCAT-AP.de metadata beyond the DSP fields (checked in `DatasetPublication+Metadata.swift`).
    package var titleEnglish: String?
    package var descriptionEnglish: String?
    package var contactPoint: ContactPoint?
    package var landingPage: String?
    /// List the dataset on the public listener: the transparency page and the DCAT-AP.de harvest endpoint
    /// (docs/operator.md, "The public transparency page"). Absent: not listed.
    package var transparency: Bool?
    /// `dct:temporal`: the period the data covers, `YYYY-MM-DD` or an `xsd:dateTime`, either end open.
    package var temporal: Temporal?
    /// `dct:accessRights`: an EU access-right IRI (`http://publications.europa.eu/resource/authority/access-right/PUBLIC`,
    /// `…/RESTRICTED`, `…/NON_PUBLIC`).
    package var accessRights: String?
    /// `dct:conformsTo`: IRIs of standards or schemas the data follows.
    package var conformsTo: [String] = []
    /// Who maintains and who originated the data (checked in `DatasetPublication+Provenance.swift`).
    package var maintainer: Agent?
    package var originator: Agent?
    /// `dcatap:availability`: `AVAILABLE`, `EXPERIMENTAL`, `STABLE`, `TEMPORARY` or the EU planned-availability IRI.
    package var availability: String?
    /// `dct:identifier`: the identifier the city uses for the dataset; the dataset's IRI when absent.
    package var identifier: String?
    /// `dcatde:contributorID`: an IRI of the dcat-ap.de contributor list; the catalog's when absent.
    package var contributorID: String?
    /// Open data (docs/operator.md, "Open data"): served without a contract on the public listener
    /// (`GET /open/<id>`) and listed with that download URL. File datasets only; implies `transparency` and
    /// `accessRights` PUBLIC.
    package var open: Bool?

    package typealias Agent = DatasetMetadata.Agent

    /// The period a dataset covers, as given in the API (`{"start": "2024-01-01", "end": "2024-12-31"}`).
    package struct Temporal: Sendable, Hashable, Codable {
        package var start: String?
        package var end: String?

        package init(start: String? = nil, end: String? = nil) {
            self.start = start
            self.end = end
        }
    }

    /// `dcat:contactPoint`: a name and at least an email address or a web form (DCAT-AP.de 2.0 convention K01); the
    /// same value the stored metadata keeps.
    package typealias ContactPoint = DatasetMetadata.ContactPoint

    /// The body fields `POST /api/catalog/datasets` takes; any other is refused naming it (`ManagementBody`).
    package static let fields: Set<String> = [
        "file", "title", "description", "keywords", "theme", "themes", "license", "id", "mediaType", "policy",
        "refreshEvery", "titleEnglish", "descriptionEnglish", "contactPoint", "landingPage", "upstream",
        "transparency", "temporal", "accessRights", "conformsTo", "maintainer", "originator", "availability", "identifier",
        "contributorID", "open",
    ]

    package init(file: String, title: String, description: String? = nil, keywords: [String] = [], theme: String? = nil,
                license: String? = nil, id: String? = nil, mediaType: String? = nil, policy: JSONValue? = nil) {
        self.file = file
        self.title = title
        self.description = description
        self.keywords = keywords
        self.theme = theme
        self.license = license
        self.id = id
        self.mediaType = mediaType
        self.policy = policy
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decodeIfPresent(String.self, forKey: .file) ?? ""
        title = try container.decode(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        keywords = try container.decodeIfPresent([String].self, forKey: .keywords) ?? []
        theme = try container.decodeIfPresent(String.self, forKey: .theme)
        license = try container.decodeIfPresent(String.self, forKey: .license)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
        policy = try container.decodeIfPresent(JSONValue.self, forKey: .policy)
        refreshEvery = try container.decodeIfPresent(String.self, forKey: .refreshEvery)
        upstream = try container.decodeIfPresent(DatasetUpstream.self, forKey: .upstream)
        themes = try container.decodeIfPresent([String].self, forKey: .themes) ?? []
        titleEnglish = try container.decodeIfPresent(String.self, forKey: .titleEnglish)
        descriptionEnglish = try container.decodeIfPresent(String.self, forKey: .descriptionEnglish)
        contactPoint = try container.decodeIfPresent(ContactPoint.self, forKey: .contactPoint)
        landingPage = try container.decodeIfPresent(String.self, forKey: .landingPage)
        transparency = try container.decodeIfPresent(Bool.self, forKey: .transparency)
        temporal = try container.decodeIfPresent(Temporal.self, forKey: .temporal)
        accessRights = try container.decodeIfPresent(String.self, forKey: .accessRights)
        conformsTo = try container.decodeIfPresent([String].self, forKey: .conformsTo) ?? []
        maintainer = try container.decodeIfPresent(Agent.self, forKey: .maintainer)
        originator = try container.decodeIfPresent(Agent.self, forKey: .originator)
        availability = try container.decodeIfPresent(String.self, forKey: .availability)
        identifier = try container.decodeIfPresent(String.self, forKey: .identifier)
        contributorID = try container.decodeIfPresent(String.self, forKey: .contributorID)
        open = try container.decodeIfPresent(Bool.self, forKey: .open)
    }

    /// The parsed `refreshEvery`; refused when it is not a whole number with `s`, `m`, `h` or `d`.
    package func refreshInterval() throws(CatalogPublishError) -> RefreshInterval? {
        guard let refreshEvery else { return nil }
        guard let interval = RefreshInterval(refreshEvery) else {
            throw .invalidField(name: "refreshEvery", reason: "'\(Self.printable(refreshEvery))' is not an interval; use e.g. 15m, 1h or 1d "
                                + "(a whole number with s, m, h or d, at most 366 days)")
        }
        return interval
    }

    /// Checks the fields, validates the policy and streams the file once (constant memory) for its size and SHA-256.
    /// `publisher` is this member; `now` becomes `issued` and `modified`. A file that `protected` covers (the
    /// connector's data directory and secrets) is refused, whatever path leads to it.
    /// `digest` reads the file (default: `digest(ofFile:protected:)`; the daemon takes its snapshot there).
    package func record(publisher: DatasetRecord.Publisher, spatial: [String], now: Date, protected: ProtectedFiles? = nil,
                       newID: () -> String = { "urn:uuid:" + UUID().uuidString.lowercased() },
                       digest read: ((String) throws(CatalogPublishError) -> (size: Int64, sha256: String))? = nil)
        throws(CatalogPublishError) -> DatasetRecord {
        let title = self.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .invalidField(name: "title", reason: "a dataset needs a title") }
        // DCAT-AP.de makes dct:description mandatory for a dataset (DCAT-AP 3.0 §Dataset, "Mandatory properties").
        guard let description = description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty else {
            throw .invalidField(name: "description", reason: "a dataset needs a description (dct:description is mandatory in "
                + "DCAT-AP.de); say in a sentence or two what the data holds")
        }
        let id = self.id ?? newID()
        try Self.checkID(id)
        for (name, iri) in [("theme", theme), ("license", license)] {
            if let iri, !Self.isIRI(iri) {
                throw .invalidField(name: name, reason: "'\(iri)' is not an absolute IRI (e.g. https://…)")
            }
        }
        let (themes, metadata) = try checkedMetadata()
        if let mediaType, let problem = HTTPMediaType.problem(with: mediaType) {
            throw .invalidField(name: "mediaType", reason: "'\(Self.printable(mediaType))' is not a media type: \(problem)")
        }
        let offer = try policy.map { value throws(CatalogPublishError) in
            try CatalogPolicyFile.offer(from: value, defaultID: id + "#offer")
        } ?? CatalogPolicyFile.defaultOffer(id: id + "#offer")
        let interval = try refreshInterval()
        let digest: (size: Int64, sha256: String)
        if let read { digest = try read(file) } else { digest = try Self.digest(ofFile: file, protected: protected) }
        return DatasetRecord(
            id: id, title: title, description: description,
            keywords: keywords.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            themes: themes, license: license, publisher: publisher, issued: now, modified: now,
            byteSize: digest.size, mediaType: mediaType ?? Self.mediaType(forFile: file),
            checksumSHA256: digest.sha256, spatial: spatial, temporal: try checkedTemporal(), metadata: metadata,
            offers: [offer], version: digest.sha256,
            accrualPeriodicity: interval?.accrualPeriodicity)
    }

    /// Ids are used in URL paths and as JSON-LD `@id`s: printable, no whitespace, no `/`, at most 200 characters.
    static func checkID(_ id: String) throws(CatalogPublishError) {
        guard !id.isEmpty, id.count <= 200 else {
            throw .invalidField(name: "id", reason: "a dataset id has 1 to 200 characters")
        }
        let forbidden = CharacterSet.whitespacesAndNewlines.union(.controlCharacters).union(CharacterSet(charactersIn: "/\\?#%\""))
        guard id.unicodeScalars.allSatisfy({ !forbidden.contains($0) }) else {
            throw .invalidField(name: "id", reason: "'\(id)' contains whitespace or one of / \\ ? # % \"; use e.g. parking-2026 or a urn:")
        }
    }

    static func isIRI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        return !text.contains(where: \.isWhitespace) && text[..<colon].allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    }

    /// `text` with control characters shown as `\u{…}`, so an error message cannot break a terminal or a log line.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined().prefix(200))
    }

    /// Size and SHA-256 of a file, read in 256 KiB pieces; refused when `protected` covers the file that was opened.
    static func digest(ofFile path: String, protected: ProtectedFiles? = nil) throws(CatalogPublishError) -> (size: Int64, sha256: String) {
        guard path.hasPrefix("/") else {
            throw .unreadableFile(path: path, reason: "the path is not absolute")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableFile(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadableFile(path: path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadableFile(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        // Checked on the opened descriptor, so a symlink swapped in after a path check cannot slip through.
        if let reason = protected?.refusal(descriptor: handle.fileDescriptor, path: path) {
            throw .protectedFile(path: path, reason: reason)
        }
        var stream = SHA256Stream()
        var size: Int64 = 0
        do {
            while let piece = try handle.read(upToCount: 256 * 1024), !piece.isEmpty {
                stream.update(piece)
                size += Int64(piece.count)
            }
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        return (size, Hex.encode(stream.finalize()))
    }

    static func mediaType(forFile path: String) -> String {
        let known = [
            "csv": "text/csv", "json": "application/json", "geojson": "application/geo+json", "xml": "application/xml",
            "txt": "text/plain", "pdf": "application/pdf", "zip": "application/zip", "parquet": "application/vnd.apache.parquet",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "gpkg": "application/geopackage+sqlite3",
        ]
        let ext = (path as NSString).pathExtension.lowercased()
        return known[ext] ?? "application/octet-stream"
    }
}
