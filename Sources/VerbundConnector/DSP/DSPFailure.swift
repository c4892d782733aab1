import VerbundHTTP
import VerbundTransport

/// Thrown by a DSP handler to answer with a DSP error message (`CatalogError`, `ContractNegotiationError`,
/// `TransferError`) and a status: 400 for a malformed message or an invalid transition, 404 for unknown processes
/// (DSP 2025-1 HTTPS binding).
package struct DSPFailure: Error, Sendable, CustomStringConvertible {
    package let status: HTTPStatus
    package let shape: DSPErrorShape
    package let code: String?
    package let reasons: [String]

    package init(_ status: HTTPStatus, shape: DSPErrorShape, code: String? = nil, reasons: [String]) {
        self.status = status
        self.shape = shape
        self.code = code
        self.reasons = reasons
    }

    /// The answer: the error message as JSON.
    package var response: HTTPResponse {
        HTTPResponse(status: status, contentType: DSPResponse.jsonContentType, bytes: shape.body(code: code, reasons: reasons))
    }

    package var description: String {
        "\(status.code) \(code ?? "error"): \(reasons.joined(separator: "; "))"
    }
}
