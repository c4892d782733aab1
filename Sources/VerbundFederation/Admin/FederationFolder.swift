import Foundation

/// The layout of a federation admin's working folder. The public files sit at the top (they are what the admin
/// hands to members, see federation-config/README.md); private keys sit in `private/` (mode 0700, keys 0600),
/// so copying the top level never copies a key.
package struct FederationFolder: Sendable {
    package let path: String

    package init(path: String) {
        self.path = (path as NSString).standardizingPath
    }

    /// Federation root CA certificate (public).
    package var rootCertificate: String { path + "/root.pem" }
    /// Signed member registry (public).
    package var registry: String { path + "/registry.jws" }
    /// Federation CRL (public).
    package var crl: String { path + "/crl.pem" }
    /// The registry signer's certificate, issued by the root (public; also inside every registry's `x5c`).
    package var signerCertificate: String { path + "/registry-signer.pem" }
    /// Folder of private keys.
    package var privateFolder: String { path + "/private" }
    /// Root CA key: the federation's crown jewel; see docs/federation-admin.md on keeping it offline.
    package var rootKey: String { privateFolder + "/root.key" }
    /// Registry signing key.
    package var signerKey: String { privateFolder + "/registry-signer.key" }
    /// Every certificate the CA issued, named by serial, for the record and for revocation.
    package var issuedFolder: String { path + "/issued" }

    package func issuedCertificate(serial: String) -> String { issuedFolder + "/\(serial).pem" }

    /// The files whose presence means a federation already lives here.
    var markers: [String] { [rootCertificate, registry, rootKey, signerKey] }

    /// The public files, the set a member's connector needs.
    package var publicFiles: [String] { [rootCertificate, registry, crl] }
}
