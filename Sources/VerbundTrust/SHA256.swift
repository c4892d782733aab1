import COpenSSL

/// SHA-256 (FIPS 180-4) on OpenSSL's EVP interface.
package enum SHA256 {
    /// Size of a digest in bytes.
    package static let byteCount = 32

    /// The digest of `bytes` in one call.
    package static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256Stream()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest as lowercase hex, the form fingerprints and logs use.
    package static func hexHash<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Hex.encode(hash(bytes))
    }
}

/// Incremental SHA-256 for data that does not fit in memory (files, streamed bodies).
///
/// A value type over a reference that owns the `EVP_MD_CTX`; copying it shares the context,
/// so keep one owner per stream.
package struct SHA256Stream: ~Copyable {
    private let context: OpaquePointer
    private var finished = false

    package init() {
        // EVP_sha256() is a static implementation, valid for the process lifetime; the
        // context is the only allocation. Failure here means the process is out of memory.
        guard let ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            fatalError("OpenSSL could not create a SHA-256 context: \(OpenSSLError.drainQueue())")
        }
        context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    package mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        precondition(!finished, "SHA256Stream used after finalize()")
        let ctx = context
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            _ = EVP_DigestUpdate(ctx, buffer.baseAddress, buffer.count)
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { _ = EVP_DigestUpdate(ctx, $0.baseAddress, $0.count) }
        }
    }

    package mutating func update(_ buffer: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Stream used after finalize()")
        _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
    }

    package consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &out, &length)
        finished = true
        return out
    }
}

/// Lowercase hexadecimal encoding.
package enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    package static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case, no separators); nil if the text is not hex of even length.
    package static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
