import VerbundHTTP

/// A response read whole.
package struct HTTPClientResponse: Sendable {
    package let head: HTTPResponseHead
    package let body: [UInt8]

    package var status: HTTPStatus { head.status }
    package var headers: HTTPHeaders { head.headers }
}
