import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// JSON answers of DSP routes.
package enum DSPResponse {
    package static let jsonContentType = "application/json"

    /// `value` encoded with `DSPJSON` (deterministic: sorted keys) and `Content-Type: application/json`; 200 for reads,
    /// 201 for a newly created process (DSP 2025-1: `POST …/request` answers 201 with the ACK).
    package static func json<Value: Encodable>(_ value: Value, status: HTTPStatus = .ok) throws -> HTTPResponse {
        HTTPResponse(status: status, contentType: jsonContentType, bytes: Array(try DSPJSON.encode(value)))
    }

    /// Raw JSON bytes the caller already has (e.g. a stored signed agreement).
    package static func json(bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: jsonContentType, bytes: bytes)
    }

    /// DSP 2025-1 answers a message that needs no body with 200 and no content.
    package static var ok: HTTPResponse { HTTPResponse(status: .ok) }
}
