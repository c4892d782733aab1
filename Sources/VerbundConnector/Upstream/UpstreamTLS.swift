import Glibc
import VerbundTransport
import VerbundTrust

/// TLS to an API dataset's upstream: the server's chain verified against the dataset's CA file or else the system
/// trust store, and its name against the upstream host; a client certificate and key when the dataset has them (an
/// upstream that requires mutual TLS, e.g. nginx's `ssl_verify_client on`), none otherwise. Any verified server of that
/// name is accepted: the upstream is outside the federation, so no member identity applies.
enum UpstreamTLS {
    /// Why the TLS material of a dataset cannot be used, naming the file and the fix, never a key's contents.
    struct Problem: Error, Sendable, CustomStringConvertible {
        let field: String
        let description: String
    }

    /// The client configuration from the dataset's files, read now: the CA file, the client certificate and its key,
    /// which must be owner-only (mode 0600 or stricter, `KeyFile.readOwnerOnly`) and belong to the certificate.
    static func configuration(_ upstream: DatasetUpstream) throws(Problem) -> TLSConfiguration {
        var roots: [Certificate] = []
        if let caFile = upstream.caFile {
            roots = (try? Certificate.all(pemFile: caFile)) ?? []
            guard !roots.isEmpty else {
                throw Problem(field: "upstream.caFile", description: "CA file \(caFile) holds no readable PEM certificate")
            }
        }
        guard let certificateFile = upstream.clientCertificateFile, let keyFile = upstream.clientKeyFile else {
            return .anonymousClient(trustRoots: roots)
        }
        let chain = (try? Certificate.all(pemFile: certificateFile)) ?? []
        guard !chain.isEmpty else {
            throw Problem(field: "upstream.clientCertificateFile",
                          description: "client certificate file \(certificateFile) holds no readable PEM certificate")
        }
        let key: PrivateKey
        do {
            key = try PrivateKey(pemFile: keyFile)
        } catch let error as TrustError {
            if case .insecureKeyFile = error {
                throw Problem(field: "upstream.clientKeyFile", description: "client key file: \(error)")
            }
            throw Problem(field: "upstream.clientKeyFile", description: "client key file \(keyFile) cannot be used: "
                          + "it must hold one unencrypted PEM private key (\(Self.kind(of: error)))")
        } catch {
            throw Problem(field: "upstream.clientKeyFile", description: "client key file \(keyFile) cannot be used: it must "
                          + "hold one unencrypted PEM private key")
        }
        return .upstreamClient(certificateChain: chain, privateKey: key, trustRoots: roots)
    }

    /// What kind of failure, without OpenSSL's text (which might quote the file).
    private static func kind(of error: TrustError) -> String {
        switch error {
        case .file: return "the file cannot be read"
        default: return "not a usable private key"
        }
    }

    /// The context for `upstream`; also proves at publish that the key belongs to the certificate
    /// (`SSL_CTX_use_cert_and_key` checks it).
    static func context(_ upstream: DatasetUpstream) throws(Problem) -> TLSContext {
        let configuration = try configuration(upstream)
        do {
            return try TLSContext(configuration: configuration)
        } catch {
            throw Problem(field: upstream.clientKeyFile == nil ? "upstream.caFile" : "upstream.clientKeyFile",
                          description: "the TLS material for this API cannot be used (\(error)); check that the client "
                          + "key belongs to the client certificate")
        }
    }

    static func connect(_ upstream: DatasetUpstream) throws(Problem) -> HTTPClient.Connect {
        let context = try context(upstream)
        let connector = TLSConnector(contexts: TLSContextSlot(context), identityCheck: PeerIdentityCheck<Bool> { _ in true })
        return connector.httpConnect
    }

    /// The identity of the files a client was built from (inode, size, modification time), so a certificate, key or
    /// CA file replaced on disk gets a new client at the next request.
    static func fileStamp(_ upstream: DatasetUpstream) -> String {
        [upstream.caFile, upstream.clientCertificateFile, upstream.clientKeyFile].compactMap { $0 }.map { path in
            var info = stat()
            guard stat(path, &info) == 0 else { return "missing" }
            return "\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }.joined(separator: ",")
    }
}
