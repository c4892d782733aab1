import VerbundTrust

extension TLSConfiguration {
    /// Reads the material from PEM files, as a connector configuration names them: our chain (leaf
    /// first), our private key (must be mode 0600, VerbundTrust refuses wider permissions), the
    /// federation root(s) (`federation-config/root.pem`) and optionally its CRL (`federation-config/crl.pem`).
    ///
    /// A CRL file makes revocation checking mandatory for contexts built from this configuration.
    package init(role: Role, certificateChainFile: String, privateKeyFile: String, trustRootsFile: String,
                revocationListFile: String? = nil) throws {
        let chain = try Certificate.all(pemFile: certificateChainFile)
        let key = try PrivateKey(pemFile: privateKeyFile)
        let roots = try Certificate.all(pemFile: trustRootsFile)
        let lists = try revocationListFile.map { [try CertificateRevocationList(pemFile: $0)] } ?? []
        self.init(role: role, certificateChain: chain, privateKey: key, trustRoots: roots,
                  revocationLists: lists, requiresRevocationList: revocationListFile != nil)
    }
}
