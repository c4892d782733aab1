import VerbundFederation
import VerbundHTTP

/// A peer's answer, with the member that proved (in the TLS handshake) to have sent it.
public struct PeerResponse: Sendable {
    public let member: Member
    public let status: HTTPStatus
    public let headers: HTTPHeaders
    public let body: [UInt8]

    public init(member: Member, status: HTTPStatus, headers: HTTPHeaders, body: [UInt8]) {
        self.member = member
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status.code) }
}
