import Foundation

/// The layout of a federation admin's working folder. The public files sit at the top (they are what the admin
/// hands to members, see federation-config/README.md); private keys sit in `private/` (mode 0700, keys 0600),
/// so copying the top level never copies a key.
public struct FederationFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = (path as NSString).standardizingPath
    }

    /// Federation root CA certificate (public).
    public var rootCertificate: String { path + "/root.pem" }
    /// Signed member registry (public).
    public var registry: String { path + "/registry.jws" }
    /// Federation CRL (public).
    public var crl: String { path + "/crl.pem" }
    /// The registry signer's certificate, issued by the root (public; also inside every registry's `x5c`).
    public var signerCertificate: String { path + "/registry-signer.pem" }
    /// Folder of private keys.
    public var privateFolder: String { path + "/private" }
    /// Root CA key: the federation's crown jewel; see docs/federation-admin.md on keeping it offline.
    public var rootKey: String { privateFolder + "/root.key" }
    /// Registry signing key.
    public var signerKey: String { privateFolder + "/registry-signer.key" }
    /// Every certificate the CA issued, named by serial, for the record and for revocation.
    public var issuedFolder: String { path + "/issued" }

    public func issuedCertificate(serial: String) -> String { issuedFolder + "/\(serial).pem" }

    /// The files whose presence means a federation already lives here.
    var markers: [String] { [rootCertificate, registry, rootKey, signerKey] }

    /// The public files, the set a member's connector needs.
    public var publicFiles: [String] { [rootCertificate, registry, crl] }
}
