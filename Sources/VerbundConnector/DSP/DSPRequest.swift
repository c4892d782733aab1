import Foundation
import VerbundFederation
import VerbundHTTP
import VerbundTransport

/// A request on a DSP route with the peer it came from: `member` is the member admitted *for this request* (the
/// connector re-checks the certificate against the newest registry and CRL before the handler runs). Only `DSPMount`
/// makes one, after admission, so a handler holds a typed peer or does not run at all.
///
/// ```swift
/// routes.post("/negotiations/request") { dsp, body in
///     let message = try dsp.decode(ContractRequestMessage.self, from: body, errorShape: .negotiation(providerPid: "", consumerPid: ""))
///     …
///     return try DSPResponse.json(ack, status: .created)
/// }
/// ```
package struct DSPRequest: Sendable {
    /// Largest DSP message body read by `decode` unless a route says otherwise (catalog and negotiation messages are small).
    package static let defaultBodyLimit = 1 << 20

    package let http: HTTPRequest
    package let peer: AdmittedPeer

    package init(http: HTTPRequest, peer: AdmittedPeer) {
        self.http = http
        self.peer = peer
    }

    /// The admitted member that sent the request.
    package var member: Member { peer.member }

    /// The value of the path parameter `name` (e.g. `pid` of `/negotiations/:pid`).
    package func parameter(_ name: String) -> String? { http.parameter(name) }

    /// The path parameter `name`, or a 400 in `errorShape` when the route has none (a routing mistake).
    package func requireParameter(_ name: String, errorShape: DSPErrorShape) throws(DSPFailure) -> String {
        guard let value = http.parameter(name), !value.isEmpty else {
            throw DSPFailure(.badRequest, shape: errorShape, code: "MissingParameter", reasons: ["the path has no \(name)"])
        }
        return value
    }

    /// Reads the body (at most `limit` bytes) and decodes a DSP message. Malformed JSON or a message of the wrong
    /// shape answers 400 with a `CatalogError`, `ContractNegotiationError` or `TransferError` as `errorShape` says;
    /// a body over the limit answers 413.
    package func decode<Message: Decodable>(_ type: Message.Type, from body: RequestBody, limit: Int = DSPRequest.defaultBodyLimit,
                                           errorShape: DSPErrorShape) throws -> Message {
        let bytes = try DSPRequest.read(body, limit: limit)
        guard !bytes.isEmpty else {
            throw DSPFailure(.badRequest, shape: errorShape, code: "MalformedMessage", reasons: ["the request has no body"])
        }
        do {
            return try DSPBodyDecoder.decode(type, from: bytes)
        } catch {
            throw DSPFailure(.badRequest, shape: errorShape, code: "MalformedMessage",
                             reasons: ["the body is not a valid \(Message.self): \(DSPBodyDecoder.explain(error))"])
        }
    }

    /// The whole body, refusing more than `limit` bytes with 413 (the route's own limit may be larger).
    static func read(_ body: RequestBody, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let piece = try body.read() {
            bytes += piece
            if bytes.count > limit {
                throw HTTPParseError(.contentTooLarge, "the request body exceeds \(limit) bytes")
            }
        }
        return bytes
    }
}
