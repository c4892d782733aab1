import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
@testable import VerbundConnector

/// docs/openapi.json is the management API's contract: the daemon serves exactly that file, and every route the
/// daemon registers is in it with its method, so a new route cannot ship undocumented (issue 14).
@Suite(.serialized, .offCooperativePool) struct ManagementAPIDocumentTests {
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1,
              !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    @Test func theServedDocumentIsDocsOpenAPIJSON() throws {
        let file = try Data(contentsOf: Self.repository.appendingPathComponent("docs/openapi.json"))
        // The daemon serves the document compacted: the same JSON value, not the same bytes.
        let kept = try JSONSerialization.jsonObject(with: file) as? NSDictionary
        let served = try JSONSerialization.jsonObject(with: Data(ManagementAPIDocument.json.utf8)) as? NSDictionary
        #expect(kept != nil && kept == served, "docs/openapi.json changed: run scripts/embed-openapi.sh")
    }

    @Test func everyManagementRouteIsDocumentedAndTheDocumentIsServedOpenly() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try NegotiationTestbed.retryingBind {
            try federation.start("a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        }
        defer { a.stop() }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(ManagementAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let routers = ConnectorRouters(context: a.context, modules: [CoreModule()] + ConnectorModules.all(limits: ConnectorLimits()),
                                       token: ManagementToken(value: "0123456789abcdef0123456789abcdef"))
        #expect(routers.management.routes.count >= 25)
        // The catch-all `/*` routes only answer an unknown path with the documented JSON 404/405.
        // The console's routes answer HTML pages for browsers, not the JSON API (docs/console.md).
        for route in routers.management.routes
        where route.pattern.description != "/*" && !ManagementRoutePermissions.isConsole(route.pattern.description) {
            // `:id` in the router is `{id}` in OpenAPI (§4.8.2 path templating); the rest of a path (`*`) is `{path}`.
            let path = route.pattern.description.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{" + $0.dropFirst() + "}" : ($0 == "*" ? "{path}" : String($0)) }.joined(separator: "/")
            let method = route.method.description.lowercased()
            #expect(paths[path]?[method] != nil, "\(route.method) \(path) is not in docs/openapi.json")
        }
        let served = try a.management("/api/openapi.json", authorized: false)
        #expect(served.status.code == 200)
        #expect(String(decoding: served.body, as: UTF8.self) == ManagementAPIDocument.json)
    }
}
