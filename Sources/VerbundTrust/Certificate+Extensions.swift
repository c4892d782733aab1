import COpenSSL
import Foundation

/// keyUsage bits (RFC 5280 §4.2.1.3).
package struct KeyUsage: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let digitalSignature = KeyUsage(rawValue: UInt32(KU_DIGITAL_SIGNATURE))
    package static let contentCommitment = KeyUsage(rawValue: UInt32(KU_NON_REPUDIATION))
    package static let keyEncipherment = KeyUsage(rawValue: UInt32(KU_KEY_ENCIPHERMENT))
    package static let dataEncipherment = KeyUsage(rawValue: UInt32(KU_DATA_ENCIPHERMENT))
    package static let keyAgreement = KeyUsage(rawValue: UInt32(KU_KEY_AGREEMENT))
    package static let keyCertSign = KeyUsage(rawValue: UInt32(KU_KEY_CERT_SIGN))
    package static let cRLSign = KeyUsage(rawValue: UInt32(KU_CRL_SIGN))
}

/// extendedKeyUsage purposes Verbund cares about (RFC 5280 §4.2.1.12).
package struct ExtendedKeyUsage: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let serverAuth = ExtendedKeyUsage(rawValue: UInt32(XKU_SSL_SERVER))
    package static let clientAuth = ExtendedKeyUsage(rawValue: UInt32(XKU_SSL_CLIENT))
    package static let codeSigning = ExtendedKeyUsage(rawValue: UInt32(XKU_CODE_SIGN))
    package static let emailProtection = ExtendedKeyUsage(rawValue: UInt32(XKU_SMIME))
    package static let timeStamping = ExtendedKeyUsage(rawValue: UInt32(XKU_TIMESTAMP))
    package static let ocspSigning = ExtendedKeyUsage(rawValue: UInt32(XKU_OCSP_SIGN))
}

extension Certificate {
    /// URIs of the subjectAltName extension (RFC 5280 §4.2.1.6), e.g. the participant id `urn:verbund:fed:member`.
    package var subjectAltNameURIs: [String] {
        withUnsafeX509 { GeneralNames(consuming: X509_get_ext_d2i($0, NID_subject_alt_name, nil, nil)).uris }
    }

    /// DNS names of the subjectAltName extension.
    package var subjectAltNameDNSNames: [String] {
        withUnsafeX509 { GeneralNames(consuming: X509_get_ext_d2i($0, NID_subject_alt_name, nil, nil)).dnsNames }
    }

    /// Whether basicConstraints says CA:TRUE (RFC 5280 §4.2.1.9).
    package var isCA: Bool {
        withUnsafeX509 { X509_get_extension_flags($0) & UInt32(EXFLAG_CA) != 0 }
    }

    /// The basicConstraints pathLenConstraint, nil when absent or not a CA.
    package var pathLengthConstraint: Int? {
        withUnsafeX509 { x509 in
            let length = X509_get_pathlen(x509)
            return length >= 0 && X509_get_extension_flags(x509) & UInt32(EXFLAG_CA) != 0 ? Int(length) : nil
        }
    }

    /// keyUsage, nil when the extension is absent (meaning "any usage").
    package var keyUsage: KeyUsage? {
        withUnsafeX509 { x509 in
            guard X509_get_extension_flags(x509) & UInt32(EXFLAG_KUSAGE) != 0 else { return nil }
            return KeyUsage(rawValue: X509_get_key_usage(x509))
        }
    }

    /// extendedKeyUsage, nil when the extension is absent.
    package var extendedKeyUsage: ExtendedKeyUsage? {
        withUnsafeX509 { x509 in
            guard X509_get_extension_flags(x509) & UInt32(EXFLAG_XKUSAGE) != 0 else { return nil }
            return ExtendedKeyUsage(rawValue: X509_get_extended_key_usage(x509))
        }
    }

    /// Whether the certificate's validity window contains `date`.
    package func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }
}
