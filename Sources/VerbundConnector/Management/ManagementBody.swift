import Foundation
import VerbundHTTP
import VerbundJSON
import VerbundTransport

/// A request body of the management API, read strictly: JSON with no duplicate names (the strict parser), no field the
/// route does not know (a misspelt `purpose` must not be dropped silently), and decoding errors that name the field.
package enum ManagementBody {
    /// Decodes `bytes` as `Value` whose top-level object may hold only `fields`; a 400 `HTTPError` otherwise.
    package static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8], fields: Set<String>) throws(HTTPError) -> Value {
        let value: JSONValue
        do {
            value = try CanonicalJSON.parsePeerJSON(bytes)
        } catch {
            throw HTTPError(.badRequest, "the body is not JSON: \(JSONProblem.explain(error, in: bytes))")
        }
        guard case let .object(members) = value else {
            throw HTTPError(.badRequest, "the body must be a JSON object with the fields \(list(fields))")
        }
        let unknown = Set(members.keys).subtracting(fields)
        guard unknown.isEmpty else {
            throw HTTPError(.badRequest, "unknown field\(unknown.count == 1 ? "" : "s") \(list(unknown)); "
                + "this request takes \(list(fields))")
        }
        do {
            return try ManagementJSON.decoder().decode(type, from: Data(bytes))
        } catch {
            throw HTTPError(.badRequest, "the body does not fit this request: \(JSONProblem.explain(error))")
        }
    }

    private static func list(_ names: Set<String>) -> String {
        names.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// The refusal `decode` gives for `text`, or "" when it decodes (tests and callers that only want the reason).
    package static func errorText<Value: Decodable>(_ type: Value.Type, _ text: String, fields: Set<String>) throws -> String {
        do {
            _ = try decode(type, from: Array(text.utf8), fields: fields)
            return ""
        } catch {
            return error.message
        }
    }
}
