import Foundation
import VerbundHTTP
import VerbundTransport
import VerbundTrust

/// JSON answers of the management API: sorted keys, ISO 8601 dates, `Content-Type: application/json`.
package enum ManagementJSON {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .internetDateTime
        return encoder
    }

    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .internetDateTime
        return decoder
    }

    package static func response<Value: Encodable>(_ value: Value, status: HTTPStatus = .ok) throws -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", bytes: Array(try encoder().encode(value)) + [0x0a])
    }

    /// `{"error": message}` with `status`.
    /// The management listener's `HTTPErrorRenderer`: the body of an error the server answers itself.
    @Sendable static func render(_ status: HTTPStatus, _ target: String?, _ reason: String) -> (contentType: String, body: [UInt8]) {
        let body = (try? encoder().encode(["error": reason])) ?? Data("{}".utf8)
        return ("application/json", Array(body) + [0x0a])
    }

    package static func error(_ message: String, status: HTTPStatus) -> HTTPResponse {
        let body = (try? encoder().encode(["error": message])) ?? Data("{}".utf8)
        return HTTPResponse(status: status, contentType: "application/json", bytes: Array(body) + [0x0a])
    }
}
