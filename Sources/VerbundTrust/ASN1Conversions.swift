import COpenSSL
import Foundation

/// Conversions between OpenSSL's ASN.1 string, time and name types and Swift values.
enum ASN1 {
    /// `ASN1_TIME` (UTCTime or GeneralizedTime, RFC 5280 §4.1.2.5) as a `Date`.
    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else {
            ERR_clear_error()
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// Whole seconds since the epoch, the resolution of X.509 times.
    static func epochSeconds(_ date: Date) -> time_t {
        time_t(date.timeIntervalSince1970.rounded(.down))
    }

    /// UTF-8 text of an ASN.1 string of any string type (`ASN1_STRING_to_UTF8` transcodes BMP/Universal strings).
    static func text(_ string: UnsafePointer<ASN1_STRING>?) -> String? {
        guard let string else { return nil }
        var out: UnsafeMutablePointer<UInt8>? = nil
        let count = ASN1_STRING_to_UTF8(&out, string)
        guard count >= 0, let out else {
            ERR_clear_error()
            return nil
        }
        defer { shim_OPENSSL_free(out) }
        return String(decoding: UnsafeBufferPointer(start: out, count: Int(count)), as: UTF8.self)
    }

    /// Raw bytes of an IA5String (URI, DNS name), decoded as UTF-8 for display; IA5 is ASCII by definition.
    static func ia5(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String? {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return nil }
        let count = Int(ASN1_STRING_length(string))
        return String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    }

    /// A distinguished name as an RFC 2253 string, e.g. `CN=node-a,O=Federation`. Non-ASCII characters stay UTF-8
    /// (RFC 2253 §2.4 allows them unescaped) so "Großenlüder" does not turn into `Gro\C3\9Fenl\C3\BCder`.
    static func rfc2253(_ name: OpaquePointer?) -> String {
        guard let name, let bio = try? MemoryBIO() else { return "" }
        let flags = shim_XN_FLAG_RFC2253() & ~UInt(ASN1_STRFLGS_ESC_MSB)
        guard X509_NAME_print_ex(bio.pointer, name, 0, flags) >= 0 else {
            ERR_clear_error()
            return ""
        }
        return bio.string
    }

    /// The first commonName attribute of a name (RFC 5280 §4.1.2.6), if any.
    static func commonName(_ name: OpaquePointer?) -> String? {
        guard let name else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index) else { return nil }
        return text(X509_NAME_ENTRY_get_data(entry))
    }

    /// A new `X509_NAME` holding CN and optionally O, UTF-8 encoded. The caller owns it.
    static func makeName(commonName: String, organization: String?) throws -> OpaquePointer {
        guard !commonName.isEmpty else { throw TrustError.invalidArgument("a certificate subject needs a non-empty common name") }
        guard let name = X509_NAME_new() else { throw OpenSSLError.drain("allocating a distinguished name") }
        var pairs = [("O", organization), ("CN", Optional(commonName))]
        if organization == nil { pairs.removeFirst() }
        for case let (field, value?) in pairs {
            let bytes = Array(value.utf8)
            let added = bytes.withUnsafeBufferPointer {
                X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, $0.baseAddress, Int32($0.count), -1, 0)
            }
            guard added == 1 else {
                X509_NAME_free(name)
                throw OpenSSLError.drain("adding \(field)=\(value) to a distinguished name")
            }
        }
        return name
    }
}

/// Reads the URI and DNS entries of an owned `GENERAL_NAMES` stack and frees it.
struct GeneralNames {
    var uris: [String] = []
    var dnsNames: [String] = []

    /// `names` is an owned `GENERAL_NAMES*` as `X509_get_ext_d2i` returns it (nil: extension absent).
    init(consuming names: UnsafeMutableRawPointer?) {
        guard let names else { return }
        let stack = OpaquePointer(names)
        defer { GENERAL_NAMES_free(stack) }
        for index in 0..<shim_sk_GENERAL_NAME_num(stack) {
            guard let entry = shim_sk_GENERAL_NAME_value(stack, index) else { continue }
            // Read the union only through the member that matches the tag (docs/openssl-notes.md §3).
            switch entry.pointee.type {
            case GEN_URI: if let text = ASN1.ia5(entry.pointee.d.uniformResourceIdentifier) { uris.append(text) }
            case GEN_DNS: if let text = ASN1.ia5(entry.pointee.d.dNSName) { dnsNames.append(text) }
            default: continue
            }
        }
    }

    /// Builds an owned `GENERAL_NAMES` stack from URIs and DNS names. IA5String holds ASCII only (RFC 5280 §4.2.1.6).
    static func make(uris: [String], dnsNames: [String]) throws -> OpaquePointer {
        guard let stack = shim_sk_GENERAL_NAME_new_null() else { throw OpenSSLError.drain("allocating subjectAltName") }
        do {
            for (type, value) in uris.map({ (GEN_URI, $0) }) + dnsNames.map({ (GEN_DNS, $0) }) {
                guard !value.isEmpty, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
                    throw TrustError.invalidArgument("subjectAltName entry \"\(value)\" must be non-empty printable ASCII without spaces")
                }
                guard let entry = GENERAL_NAME_new() else { throw OpenSSLError.drain("allocating a general name") }
                guard let ia5 = ASN1_IA5STRING_new() else {
                    GENERAL_NAME_free(entry)
                    throw OpenSSLError.drain("allocating an IA5String")
                }
                let bytes = Array(value.utf8)
                guard ASN1_STRING_set(ia5, bytes, Int32(bytes.count)) == 1 else {
                    ASN1_IA5STRING_free(ia5)
                    GENERAL_NAME_free(entry)
                    throw OpenSSLError.drain("setting an IA5String")
                }
                GENERAL_NAME_set0_value(entry, type, UnsafeMutableRawPointer(ia5))
                guard shim_sk_GENERAL_NAME_push(stack, entry) > 0 else {
                    GENERAL_NAME_free(entry)
                    throw OpenSSLError.drain("adding a general name")
                }
            }
        } catch {
            GENERAL_NAMES_free(stack)
            throw error
        }
        return stack
    }
}
