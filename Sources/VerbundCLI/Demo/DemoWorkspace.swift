import Foundation
import VerbundFederation

/// The demo's folder and its layout: the federation admin's folder, one folder per city (its key, CSR, certificate,
/// its own copy of the federation's public files, connector.json, data and log), the generated sample data, the
/// downloads and the auditor's material. A temporary folder is removed at the end; a `--keep` folder stays.
struct DemoWorkspace: Sendable {
    let root: String
    /// True when the user asked to keep the folder (`--keep DIR`).
    let kept: Bool

    var admin: FederationFolder { FederationFolder(path: root + "/federation-admin") }
    func city(_ city: DemoCity) -> String { root + "/cities/" + city.id }
    func cityFederation(_ city: DemoCity) -> String { self.city(city) + "/federation" }
    func configuration(_ city: DemoCity) -> String { self.city(city) + "/connector.json" }
    func log(_ city: DemoCity) -> String { self.city(city) + "/verbund.log" }
    var samples: String { root + "/sample-data" }
    func downloads(_ city: DemoCity) -> String { root + "/downloads/" + city.id }
    var auditor: String { root + "/auditor" }

    /// A fresh temporary folder, or `keep` (which must be absent or empty, so the demo never mixes with old files).
    static func make(keep: String?) throws(DemoMismatch) -> DemoWorkspace {
        let manager = FileManager.default
        if let keep {
            let path = MemberCommands.absolute(keep)
            if manager.fileExists(atPath: path) {
                let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? ["?"]
                guard entries.isEmpty else {
                    throw DemoMismatch(expected: "--keep to name a new or empty folder", seen: "\(path) already has files in it")
                }
            }
            try create(path)
            return DemoWorkspace(root: path, kept: true)
        }
        let path = NSTemporaryDirectory().appending("verbund-demo-\(UUID().uuidString.prefix(8).lowercased())")
        try create(path)
        return DemoWorkspace(root: path, kept: false)
    }

    /// Creates the folders the steps write into.
    func prepare() throws(DemoMismatch) {
        for city in DemoCity.all {
            try Self.create(cityFederation(city))
            try Self.create(downloads(city))
        }
        try Self.create(samples)
        try Self.create(auditor)
    }

    /// Removes the folder unless the user asked to keep it.
    func finish() {
        guard !kept else { return }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A path relative to the workspace, for narration (`cities/jena/connector.json`).
    func short(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    /// Hands the admin's current public files to `cities` — the CRL before the registry, as an admin publishes them,
    /// so a connector polling in between never holds a registry without the CRL that goes with it.
    func publishFederationFiles(to cities: [DemoCity]) throws(DemoMismatch) {
        let admin = self.admin
        for city in cities {
            for (source, name) in [(admin.rootCertificate, "root.pem"), (admin.crl, "crl.pem"), (admin.registry, "registry.jws")] {
                do {
                    let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: source)))
                    try AtomicFile.write(bytes, to: cityFederation(city) + "/" + name)
                } catch {
                    throw DemoMismatch(expected: "to copy \(short(source)) to \(city.id)", seen: "\(error)")
                }
            }
        }
    }

    private static func create(_ path: String) throws(DemoMismatch) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw DemoMismatch(expected: "to create the folder \(path)", seen: "\(error)")
        }
    }
}
