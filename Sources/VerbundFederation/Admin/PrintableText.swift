/// Which characters may stand in text that people read on a terminal and that the registry carries to every member:
/// names, subjects, SAN values, endpoints, status reasons. Control characters (C0, DEL, C1 — among them ESC, which
/// starts terminal escape sequences), Unicode format characters (bidi overrides and isolates that reorder what is
/// shown) and line/paragraph separators are refused at admission, and escaped wherever the CLI prints such text.
package enum PrintableText {
    /// Whether `scalar` must not appear in such text.
    package static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            return true
        default:
            return false
        }
    }

    /// The first forbidden character of `text` and its position (counted in Unicode scalars from 1), or nil.
    package static func firstForbidden(in text: String) -> (scalar: Unicode.Scalar, position: Int)? {
        for (offset, scalar) in text.unicodeScalars.enumerated() where isForbidden(scalar) {
            return (scalar, offset + 1)
        }
        return nil
    }

    /// `text` with every forbidden character written as `\u{1B}` (visible, inert on a terminal).
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Throws `invalid(message)` when `text` holds a forbidden character; `what` names the field for the message.
    static func require(_ text: String, _ what: String, invalid: (String) -> AdminError) throws(AdminError) {
        guard let (scalar, position) = firstForbidden(in: text) else { return }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        throw invalid("\(what) '\(escaped(text))' contains \(code) at character \(position); control characters, terminal "
            + "escapes and invisible formatting characters are not allowed in names, subjects and addresses")
    }
}
