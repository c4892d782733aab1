/// base64url without padding, as JWS uses it (RFC 7515 §2, RFC 4648 §5).
///
/// Table-driven on the UTF-8 bytes: it runs for every JWS header, payload and `x5c` entry, so it avoids going through
/// Foundation's base64 and string replacing.
package enum Base64URL {
    /// RFC 4648 §5, Table 2.
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The 6-bit value of each byte, or 0xFF for bytes outside the alphabet (padding `=` included).
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    package static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let input = bytes.withContiguousStorageIfAvailable { Self.encode(buffer: $0) }
        return input ?? Array(bytes).withUnsafeBufferPointer { Self.encode(buffer: $0) }
    }

    private static func encode(buffer input: UnsafeBufferPointer<UInt8>) -> String {
        let count = input.count
        let length = (count / 3) * 4 + [0, 2, 3][count % 3]  // RFC 4648 §5: no padding
        return alphabet.withUnsafeBufferPointer { table in
            String(unsafeUninitializedCapacity: length) { output in
                var i = 0, o = 0
                while i + 3 <= count {
                    let group = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    output[o] = table[Int(group >> 18)]
                    output[o + 1] = table[Int(group >> 12 & 0x3F)]
                    output[o + 2] = table[Int(group >> 6 & 0x3F)]
                    output[o + 3] = table[Int(group & 0x3F)]
                    i += 3
                    o += 4
                }
                switch count - i {
                case 1:
                    let group = UInt32(input[i]) << 16
                    output[o] = table[Int(group >> 18)]
                    output[o + 1] = table[Int(group >> 12 & 0x3F)]
                    o += 2
                case 2:
                    let group = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                    output[o] = table[Int(group >> 18)]
                    output[o + 1] = table[Int(group >> 12 & 0x3F)]
                    output[o + 2] = table[Int(group >> 6 & 0x3F)]
                    o += 3
                default:
                    break
                }
                return o
            }
        }
    }

    /// Decodes base64url text; nil if it holds characters outside the alphabet, padding, an impossible length, or
    /// non-zero unused bits in the last character (non-canonical text would let one value have several spellings,
    /// RFC 4648 §3.5).
    package static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    private static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        let tail = count % 4
        guard tail != 1 else { return nil }  // one leftover character cannot hold a whole byte
        let length = (count / 4) * 3 + [0, 0, 1, 2][tail]
        return values.withUnsafeBufferPointer { table -> [UInt8]? in
            var failed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
                var i = 0, o = 0
                while i + 4 <= count {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    // 0xFF marks a byte outside the alphabet; OR-ing the four finds one in a single test.
                    if (a | b | c | d) & 0xC0 != 0 { failed = true; break }
                    let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output[o] = UInt8(truncatingIfNeeded: group >> 16)
                    output[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
                    output[o + 2] = UInt8(truncatingIfNeeded: group)
                    i += 4
                    o += 3
                }
                if !failed && tail != 0 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = tail == 3 ? table[Int(input[i + 2])] : 0
                    if (a | b | c) & 0xC0 != 0 {
                        failed = true
                    } else if tail == 2 {
                        // Canonical: the 4 bits below the one byte must be zero.
                        if b & 0x0F != 0 { failed = true } else { output[o] = a << 2 | b >> 4; o += 1 }
                    } else {
                        // Canonical: the 2 bits below the two bytes must be zero.
                        if c & 0x03 != 0 {
                            failed = true
                        } else {
                            output[o] = a << 2 | b >> 4
                            output[o + 1] = b << 4 | c >> 2
                            o += 2
                        }
                    }
                }
                initialized = failed ? 0 : o
            }
            return failed ? nil : bytes
        }
    }
}
