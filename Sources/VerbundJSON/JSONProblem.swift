import Foundation

/// What is wrong with a JSON document a person wrote (connector.json, a policy file, a request body), said the way an
/// editor would point at it: line and column for a syntax error, the field path for a missing or mistyped field.
/// Foundation's own errors (`DecodingError.keyNotFound … CodingKeys(…)`, `NSCocoaErrorDomain Code=3840`) never reach
/// a person.
package enum JSONProblem {
    /// Decodes `T` from `bytes`, or throws a one-line explanation (`JSONProblem.Explained`).
    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], decoder: JSONDecoder = JSONDecoder())
        throws(Explained) -> T {
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch {
            throw Explained(text: explain(error, in: bytes))
        }
    }

    /// A decoding failure explained in words.
    package struct Explained: Error, CustomStringConvertible, Sendable, Equatable {
        package let text: String
        package var description: String { text }
    }

    /// Explains `error` from decoding `bytes`: syntax errors are located by the strict parser (line and column,
    /// counted from 1, columns in characters); decoding errors name the field path.
    package static func explain(_ error: any Error, in bytes: [UInt8]) -> String {
        if case .invalid(let offset, let reason)? = syntaxError(in: bytes) {
            let (line, column) = position(of: offset, in: bytes)
            return "line \(line), column \(column): \(reason)"
        }
        return explain(error)
    }

    /// Explains a `DecodingError` by its field path; other errors by their description.
    package static func explain(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        switch decoding {
        case let .keyNotFound(key, context):
            return "missing field \"\(path(context.codingPath + [key]))\""
        case let .valueNotFound(_, context):
            return "field \"\(path(context.codingPath))\" is null but needs a value"
        case let .typeMismatch(type, context):
            return "field \"\(path(context.codingPath))\" has the wrong type: expected \(typeName(type))"
        case let .dataCorrupted(context):
            let field = context.codingPath.isEmpty ? "the document" : "field \"\(path(context.codingPath))\""
            return "\(field): \(context.debugDescription)"
        @unknown default:
            return String(describing: decoding)
        }
    }

    /// 1-based line and column of byte `offset`; columns count characters, not bytes.
    package static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
        return (line, column)
    }

    private static func syntaxError(in bytes: [UInt8]) -> CanonicalJSONError? {
        do {
            _ = try CanonicalJSON.parsePeerJSON(bytes)
            return nil
        } catch {
            return error
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "(top level)" : text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is UInt16.Type, is UInt64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is [Any].Type: return "an array"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") ? "an array" : name.hasPrefix("Dictionary") ? "an object" : name
        }
    }
}
