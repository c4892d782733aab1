import COpenSSL

/// An owned in-memory OpenSSL `BIO`, the way PEM text and DER bytes go in and out of OpenSSL.
final class MemoryBIO {
    let pointer: OpaquePointer

    init() throws {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.drain("allocating a memory BIO") }
        pointer = bio
    }

    /// A BIO holding a copy of `bytes` (`BIO_new_mem_buf` would borrow the buffer past its lifetime).
    convenience init<Bytes: Collection>(copying bytes: Bytes) throws where Bytes.Element == UInt8 {
        try self.init()
        let array = Array(bytes)
        guard !array.isEmpty else { return }
        let written = array.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(array.count) else { throw OpenSSLError.drain("writing into a memory BIO") }
    }

    deinit { BIO_free(pointer) }

    /// Everything written into the BIO so far.
    var bytes: [UInt8] {
        var data: UnsafeMutablePointer<CChar>? = nil
        let count = shim_BIO_get_mem_data(pointer, &data)
        guard count > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
