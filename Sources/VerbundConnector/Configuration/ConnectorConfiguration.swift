import Foundation
import VerbundJSON

/// A city's `connector.json`: who the connector is, where its federation's public files and its own key live,
/// and where it listens. `verbund member init` writes it; `verbund serve` reads it.
package struct ConnectorConfiguration: Codable, Sendable, Equatable {
    /// The federation's public files (docs/design.md §11 "Federation"), as handed out by the admin.
    package struct FederationFiles: Codable, Sendable, Equatable {
        /// The federation root CA certificate (`root.pem`).
        package var root: String
        /// The signed member registry (`registry.jws`).
        package var registry: String
        /// The federation CRL (`crl.pem`).
        package var crl: String
        /// Where newer registries can be fetched from, if the federation publishes one.
        package var registryURL: String?

        package init(root: String, registry: String, crl: String, registryURL: String? = nil) {
            self.root = root
            self.registry = registry
            self.crl = crl
            self.registryURL = registryURL
        }
    }

    package var memberId: String
    /// `urn:verbund:<federation>:<member>`, the SAN URI of this connector's certificate.
    package var participantId: String
    package var federation: FederationFiles
    /// The member's private key (mode 0600, never leaves the city).
    package var keyFile: String
    /// The certificate the admin issued for that key.
    package var certificateFile: String
    /// `HOST:PORT` the DSP and data plane listener binds to.
    package var listen: String
    /// The public DSP endpoint URL peers use (as listed in the registry).
    package var endpoint: String
    /// `HOST:PORT` of the management API; must be a loopback address.
    package var management: String
    /// Folder for the SQLite store, the log and the management token.
    package var dataDirectory: String
    /// Refuse every peer while the federation CRL is past its nextUpdate (default: warn loudly and keep serving).
    package var crlStaleIsFatal: Bool?
    /// Seconds between checks of the registry and CRL files (and `registryURL`) for a newer version; default 5.
    package var federationPollSeconds: Double?
    /// Let clients without a certificate fetch `GET /.well-known/dspace-version` (DSP 2025-1 §4.3: the version
    /// endpoint is unversioned and unauthenticated, as open data spaces expect); every other path stays closed to them.
    /// Default false: no handshake without a certificate.
    package var openVersionEndpoint: Bool?
    /// Bounds an operator tunes (see `LimitKey.all` and docs/operator.md); unset keys keep their defaults.
    package var limits: ConnectorLimits?
    /// `HOST:PORT` of the optional public listener (docs/operator.md, "The public transparency page"): the transparency
    /// page and the DCAT-AP.de harvest endpoint, without login, GET and HEAD only. Absent: no public listener.
    package var publicListen: String?
    /// The server certificate and key the city gives for the public listener (HTTPS); absent: plain HTTP, meant to sit
    /// behind the city's web server.
    package var publicTLS: PublicTLS?
    /// The address the public listener is reached at from outside (`https://transparenz.stadt.example`): the base of the
    /// harvest endpoint's absolute paging links. Absent: taken from the request's `Host`.
    package var publicBaseURL: String?
    /// The catalog-level DCAT-AP.de fields of the harvest endpoint (and `verbund datasets export`'s defaults).
    package var publicCatalog: PublicCatalog?

    /// `dcat:Catalog` fields: title and description (German), the city's open-data page (`foaf:homepage`) and the
    /// `dcatde:contributorID` GovData assigned (DCAT-AP.de 2.0 convention K12/13 wants it on every dataset).
    package struct PublicCatalog: Codable, Sendable, Equatable {
        package var title: String?
        package var description: String?
        package var homepage: String?
        package var contributorID: String?

        package init(title: String? = nil, description: String? = nil, homepage: String? = nil, contributorID: String? = nil) {
            self.title = title
            self.description = description
            self.homepage = homepage
            self.contributorID = contributorID
        }
    }

    /// The public listener's certificate chain (PEM, leaf first) and its private key (PEM, mode 0600).
    package struct PublicTLS: Codable, Sendable, Equatable {
        package var certificate: String
        package var key: String

        package init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// The poll interval in effect.
    package var federationPollInterval: Double { federationPollSeconds ?? 5 }
    /// Whether `openVersionEndpoint` is on.
    package var opensVersionEndpoint: Bool { openVersionEndpoint ?? false }

    package init(
        memberId: String, participantId: String, federation: FederationFiles, keyFile: String, certificateFile: String,
        listen: String, endpoint: String, management: String, dataDirectory: String,
        crlStaleIsFatal: Bool? = nil, federationPollSeconds: Double? = nil, openVersionEndpoint: Bool? = nil,
        limits: ConnectorLimits? = nil, publicListen: String? = nil, publicTLS: PublicTLS? = nil, publicBaseURL: String? = nil
    ) {
        self.memberId = memberId
        self.participantId = participantId
        self.federation = federation
        self.keyFile = keyFile
        self.certificateFile = certificateFile
        self.listen = listen
        self.endpoint = endpoint
        self.management = management
        self.dataDirectory = dataDirectory
        self.crlStaleIsFatal = crlStaleIsFatal
        self.federationPollSeconds = federationPollSeconds
        self.openVersionEndpoint = openVersionEndpoint
        self.limits = limits
        self.publicListen = publicListen
        self.publicTLS = publicTLS
        self.publicBaseURL = publicBaseURL
    }

    /// The limits in effect (none set: every default).
    package var effectiveLimits: ConnectorLimits { limits ?? ConnectorLimits() }

    /// Reads and decodes a configuration file (without validating it; call `validate()`). Relative paths in it
    /// are resolved against the file's folder.
    package static func load(from path: String) throws(ConfigurationProblem) -> ConnectorConfiguration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationProblem(field: "file", message: "\(path) does not exist; create it with `verbund member init`, "
                + "or pass the right one with --config (or VERBUND_CONFIG)")
        }
        guard !isDirectory.boolValue else {
            throw ConfigurationProblem(field: "file", message: "\(path) is a folder; give the connector.json inside it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationProblem(field: "file", message: "cannot read \(path): permission denied for this user; "
                + "run the command as the connector's user (e.g. sudo -u verbund … --config \(path))")
        }
        let decoded: ConnectorConfiguration
        do {
            decoded = try JSONProblem.decode(ConnectorConfiguration.self, from: Array(data))
        } catch {
            throw ConfigurationProblem(field: "file", message: "\(path) is not a valid connector configuration: \(error)")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return decoded.resolvingPaths(against: (absolute as NSString).deletingLastPathComponent)
    }

    /// The same configuration with every relative file path resolved against `folder`.
    package func resolvingPaths(against folder: String) -> ConnectorConfiguration {
        var copy = self
        copy.federation.root = RelativePath.resolve(federation.root, against: folder)
        copy.federation.registry = RelativePath.resolve(federation.registry, against: folder)
        copy.federation.crl = RelativePath.resolve(federation.crl, against: folder)
        copy.keyFile = RelativePath.resolve(keyFile, against: folder)
        copy.certificateFile = RelativePath.resolve(certificateFile, against: folder)
        copy.dataDirectory = RelativePath.resolve(dataDirectory, against: folder)
        copy.publicTLS = publicTLS.map {
            PublicTLS(certificate: RelativePath.resolve($0.certificate, against: folder), key: RelativePath.resolve($0.key, against: folder))
        }
        return copy
    }

    /// The same configuration with every file path written relative to `folder` (for writing connector.json).
    package func relativizingPaths(to folder: String) -> ConnectorConfiguration {
        var copy = self
        func relative(_ path: String) -> String { path.hasPrefix("/") ? RelativePath.from(folder, to: path) : path }
        copy.federation.root = relative(federation.root)
        copy.federation.registry = relative(federation.registry)
        copy.federation.crl = relative(federation.crl)
        copy.keyFile = relative(keyFile)
        copy.certificateFile = relative(certificateFile)
        copy.dataDirectory = relative(dataDirectory)
        copy.publicTLS = publicTLS.map { PublicTLS(certificate: relative($0.certificate), key: relative($0.key)) }
        return copy
    }

    /// Pretty JSON with sorted keys, for people to read and edit.
    package func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// One problem per bad field, naming the field; empty when the configuration is usable.
    package func validate() -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        func require(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { problems.append(ConfigurationProblem(field: field, message: message)) }
        }
        let memberOK = Self.isIdentifier(memberId)
        require(memberOK, "memberId", "'\(memberId)' is not a member id (lowercase letters, digits and inner '-', at most 63)")
        let parts = participantId.split(separator: ":", omittingEmptySubsequences: false)
        let participantOK = parts.count == 4 && parts[0] == "urn" && parts[1] == "verbund"
            && Self.isIdentifier(String(parts[2])) && Self.isIdentifier(String(parts[3]))
        require(participantOK, "participantId", "'\(participantId)' is not of the form urn:verbund:<federation>:<member>")
        if participantOK && memberOK {
            require(parts[3] == memberId, "participantId", "'\(participantId)' does not end in the memberId '\(memberId)'")
        }
        require(!federation.root.isEmpty, "federation.root", "the path of the federation's root.pem is empty")
        require(!federation.registry.isEmpty, "federation.registry", "the path of the federation's registry.jws is empty")
        require(!federation.crl.isEmpty, "federation.crl", "the path of the federation's crl.pem is empty")
        if let url = federation.registryURL {
            require(Self.isHTTPURL(url, httpsOnly: false), "federation.registryURL", "'\(url)' is not an http(s) URL")
        }
        require(!keyFile.isEmpty, "keyFile", "the path of the member's private key is empty")
        require(!certificateFile.isEmpty, "certificateFile", "the path of the member's certificate is empty")
        require(HostPort(listen) != nil, "listen", "'\(listen)' is not HOST:PORT (e.g. 0.0.0.0:8443)")
        require(Self.isHTTPURL(endpoint, httpsOnly: true), "endpoint", "'\(endpoint)' is not an https:// URL with a host")
        if let address = HostPort(management) {
            require(address.isLoopback, "management",
                    "'\(management)' is not a loopback address; the management API must listen on 127.0.0.1, ::1 or localhost")
        } else {
            require(false, "management", "'\(management)' is not HOST:PORT (e.g. 127.0.0.1:8444)")
        }
        require(!dataDirectory.isEmpty, "dataDirectory", "the data directory is empty")
        if let seconds = federationPollSeconds {
            require(seconds.isFinite && seconds >= 0.01 && seconds <= 86_400, "federationPollSeconds",
                    "\(seconds) is not a number of seconds from 0.01 to 86400")
        }
        problems += effectiveLimits.validate()
        problems += validatePublicListener()
        return problems
    }

    /// `publicListen`, `publicTLS` and `publicBaseURL`: an address, both files or none, and an http(s) base without
    /// query or fragment (its path is kept, so the city's web server may serve the listener below a path).
    func validatePublicListener() -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        if let publicListen, HostPort(publicListen) == nil {
            problems.append(ConfigurationProblem(field: "publicListen", message: "'\(publicListen)' is not HOST:PORT (e.g. 0.0.0.0:8080)"))
        }
        if let publicTLS {
            if publicListen == nil {
                problems.append(ConfigurationProblem(field: "publicTLS", message: "publicTLS needs publicListen (the address it serves on)"))
            }
            if publicTLS.certificate.isEmpty {
                problems.append(ConfigurationProblem(field: "publicTLS.certificate", message: "the path of the public listener's certificate is empty"))
            }
            if publicTLS.key.isEmpty {
                problems.append(ConfigurationProblem(field: "publicTLS.key", message: "the path of the public listener's private key is empty"))
            }
        }
        if let catalog = publicCatalog {
            if let homepage = catalog.homepage, !Self.isHTTPURL(homepage, httpsOnly: false) || homepage.contains(where: \.isWhitespace) {
                problems.append(ConfigurationProblem(field: "publicCatalog.homepage", message: "'\(homepage)' is not an http(s) URL"))
            }
            let contributors = "http://dcat-ap.de/def/contributors/"
            if let id = catalog.contributorID, !id.hasPrefix(contributors) || id.count == contributors.count
                || id.contains(where: { $0.isWhitespace || "<>\"{}|\\^`".contains($0) }) {
                problems.append(ConfigurationProblem(field: "publicCatalog.contributorID",
                                                     message: "'\(id)' is not an IRI of the dcat-ap.de contributor list (\(contributors)…)"))
            }
            for (field, text) in [("title", catalog.title), ("description", catalog.description)] {
                if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.count > 2000 {
                    problems.append(ConfigurationProblem(field: "publicCatalog." + field, message: "give 1 to 2000 characters"))
                }
            }
        }
        if let publicBaseURL {
            let components = URLComponents(string: publicBaseURL)
            if publicListen == nil {
                problems.append(ConfigurationProblem(field: "publicBaseURL", message: "publicBaseURL needs publicListen"))
            } else if !Self.isHTTPURL(publicBaseURL, httpsOnly: false) || components?.query != nil || components?.fragment != nil
                        || publicBaseURL.contains(where: { $0.isWhitespace }) {
                problems.append(ConfigurationProblem(field: "publicBaseURL",
                                                     message: "'\(publicBaseURL)' is not an http(s) URL with a host and without query or fragment"))
            }
        }
        return problems
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 63 && text.first != "-" && text.last != "-"
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func isHTTPURL(_ text: String, httpsOnly: Bool) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.encodedHost, !host.isEmpty else { return false }
        return httpsOnly ? scheme == "https" : (scheme == "https" || scheme == "http")
    }
}
