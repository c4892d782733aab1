import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

@Suite(.offCooperativePool) struct RouterTests {
    private func head(_ method: HTTPMethod, _ target: String) -> HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, headers: ["Host": "t"])
    }

    private var router: Router {
        var router = Router()
        router.get("/negotiations/:pid") { request, _ in .text("get \(request.parameter("pid")!)") }
        router.post("/negotiations/:pid/events", bodyLimit: 8) { request, body in
            .text("\(request.parameter("pid")!) \(String(decoding: try body.readAll(), as: UTF8.self))")
        }
        router.get("/negotiations/request") { _, _ in .text("never: the parameter route was added first") }
        router.get("/fail") { _, _ in throw HTTPError(.conflict, "state is FINALIZED") }
        return router
    }

    @Test func patterns() {
        #expect(RoutePattern("/a/:x/c").match(["a", "b", "c"]) == ["x": "b"])
        #expect(RoutePattern("/a/:x/c").match(["a", "b"]) == nil)
        #expect(RoutePattern("/a/:x").match(["a", "b", "c"]) == nil)
        #expect(RoutePattern("/a/*").match(["a"]) == ["*": ""])
        #expect(RoutePattern("/a/*").match(["a", "b", "c"]) == ["*": "b/c"])
        #expect(RoutePattern("/").match([]) == [:])
        #expect(RoutePattern("/").match(["x"]) == nil)
    }

    @Test func dispatchInProcess() {
        let router = self.router
        #expect(router.respond(to: head(.get, "/negotiations/n1")).status == .ok)
        let posted = router.respond(to: head(.post, "/negotiations/n1/events"), body: Array("ok".utf8))
        guard case let .bytes(bytes) = posted.body else { Issue.record("no bytes"); return }
        #expect(String(decoding: bytes, as: UTF8.self) == "n1 ok")
        #expect(router.respond(to: head(.post, "/negotiations/n1/events"), body: Array("too long!".utf8)).status.code == 413)
        #expect(router.respond(to: head(.get, "/negotiations/request")).status == .ok)
        #expect(router.respond(to: head(.get, "/nothing")).status.code == 404)
        #expect(router.respond(to: head(.get, "/a/../b")).status.code == 400)
        let refused = router.respond(to: head(.put, "/negotiations/n1"))
        #expect(refused.status.code == 405)
        #expect(refused.headers["allow"] == "GET, HEAD")
        #expect(router.respond(to: head(.head, "/negotiations/n1")).status == .ok)
        #expect(router.respond(to: head(.get, "/fail")).status.code == 409)
    }

    @Test func dateHeaderFormat() {
        let date = HTTPDate.now()
        #expect(date.count == 29)
        #expect(date.hasSuffix(" GMT"))
    }

    /// In process, error answers go through the renderer the server would use, with the request's target.
    @Test func inProcessErrorsAreRenderedLikeTheServers() {
        let router = self.router
        let render: HTTPErrorRenderer = { status, target, reason in
            ("application/json", Array("{\"status\":\(status.code),\"target\":\"\(target ?? "")\",\"reason\":\"\(reason)\"}".utf8))
        }
        let missing = router.respond(to: head(.get, "/nothing"), errorRenderer: render)
        #expect(missing.status.code == 404 && missing.headers["Content-Type"] == "application/json")
        guard case let .bytes(bytes) = missing.body else { Issue.record("no bytes"); return }
        #expect(bytes == Array(#"{"status":404,"target":"/nothing","reason":"no resource at /nothing"}"#.utf8))
        let refused = router.respond(to: head(.put, "/negotiations/n1"), errorRenderer: render)
        #expect(refused.headers["Allow"] != nil && refused.headers["Content-Type"] == "application/json")
        #expect(router.respond(to: head(.get, "/fail"), errorRenderer: render).headers["Content-Type"] == "application/json")
        let fine = router.respond(to: head(.get, "/negotiations/n1"), errorRenderer: render)
        #expect(fine.headers["Content-Type"] == "text/plain; charset=utf-8")
    }
}
