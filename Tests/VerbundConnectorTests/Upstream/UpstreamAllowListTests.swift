import Testing
@testable import VerbundConnector

/// The publish-time allow-list of an API dataset, decided on hostile request lines as values.
@Suite struct UpstreamAllowListTests {
    let things = UpstreamAllowList(pathPrefixes: ["/v1.1/Things", "/v1.1/Datastreams"],
                                   queryParameters: ["$filter", "$top"])

    func status(_ decision: UpstreamAllowList.Decision) -> Int? {
        if case .refuse(let status, _) = decision { return status }
        return nil
    }

    @Test func allowedPathsAndParametersAreForwardedAsReceived() {
        #expect(things.decide(method: "GET", subPath: "/v1.1/Things", query: nil)
            == .forward(path: "/v1.1/Things", query: nil))
        #expect(things.decide(method: "HEAD", subPath: "/v1.1/Things/7/Locations", query: "$top=5&%24filter=id%20eq%207")
            == .forward(path: "/v1.1/Things/7/Locations", query: "$top=5&%24filter=id%20eq%207"))
        #expect(things.decide(method: "GET", subPath: "/v1.1/Datastreams", query: "")
            == .forward(path: "/v1.1/Datastreams", query: nil))
    }

    @Test(arguments: [
        "/v1.1/ThingsSecret", "/v1.1", "", "/", "/v1.0/Things", "/v1.1/Things/../../admin", "/v1.1/Things/%2e%2e/x",
        "/v1.1/Things/..", "/v1.1/Things/a%2fb", "/v1.1/Things/a%5cb", "/v1.1/Things/%00", "/v1.1/Things/%zz",
        "/v1.1/Things/%c3", "v1.1/Things", "/./v1.1/Things",
    ])
    func pathsOutsideThePrefixesAreForbidden(path: String) {
        #expect(status(things.decide(method: "GET", subPath: path, query: nil)) == 403)
    }

    @Test(arguments: ["api_key=1", "$top=1&api_key=x", "%24top%3d=1", "$Top=1", "$top=1&%zz=1", "=1"])
    func parametersOutsideTheListAreForbidden(query: String) {
        #expect(status(things.decide(method: "GET", subPath: "/v1.1/Things", query: query)) == 403)
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "get", "OPTIONS"])
    func otherMethodsAreNotAllowed(method: String) {
        #expect(status(things.decide(method: method, subPath: "/v1.1/Things", query: nil)) == 405)
    }

    @Test func emptyListsAllowNothingAndSlashAllowsEverything() {
        let none = UpstreamAllowList(pathPrefixes: [])
        #expect(status(none.decide(method: "GET", subPath: "/x", query: nil)) == 403)
        let all = UpstreamAllowList(pathPrefixes: ["/"])
        #expect(all.decide(method: "GET", subPath: "", query: nil) == .forward(path: "", query: nil))
        #expect(all.decide(method: "GET", subPath: "/a/b", query: nil) == .forward(path: "/a/b", query: nil))
        #expect(status(all.decide(method: "GET", subPath: "/a", query: "x=1")) == 403)
        #expect(status(all.decide(method: "GET", subPath: "/a/../..", query: nil)) == 403)
    }

    @Test func reasonsShowHostileInputBoundedAndEscaped() {
        let long = "/" + String(repeating: "a", count: 5000)
        guard case .refuse(_, let reason) = things.decide(method: "GET", subPath: long, query: nil) else {
            Issue.record("a path outside the prefixes was forwarded")
            return
        }
        #expect(reason.count < 400)
        guard case .refuse(_, let escaped) = things.decide(method: "GET", subPath: "/v1.1/Things", query: "a\u{1b}[31m=1")
        else {
            Issue.record("an unlisted parameter was forwarded")
            return
        }
        #expect(!escaped.contains("\u{1b}"))
        #expect(escaped.contains("\\u{1b}"))
    }
}
