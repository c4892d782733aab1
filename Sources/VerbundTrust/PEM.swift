import Foundation

/// Standard base64 wrapped at 64 columns, the body of a PEM block (RFC 7468 §2).
enum Data64 {
    static func wrap(_ bytes: [UInt8]) -> String {
        let text = Array(Data(bytes).base64EncodedString().utf8)
        var out = ""
        var index = 0
        while index < text.count {
            let end = min(index + 64, text.count)
            out += String(decoding: text[index..<end], as: UTF8.self) + "\n"
            index = end
        }
        return out
    }
}
