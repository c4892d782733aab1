import VerbundFederation
import VerbundHTTP

/// A peer's answer, with the member that proved (in the TLS handshake) to have sent it.
package struct PeerResponse: Sendable {
    package let member: Member
    package let status: HTTPStatus
    package let headers: HTTPHeaders
    package let body: [UInt8]

    package init(member: Member, status: HTTPStatus, headers: HTTPHeaders, body: [UInt8]) {
        self.member = member
        self.status = status
        self.headers = headers
        self.body = body
    }

    package var isSuccess: Bool { (200..<300).contains(status.code) }
}
