import Foundation

extension CompactJWS {
    /// Verifies the `x5c` chain with `verifier` at `time`, then the signature with the leaf's key.
    /// Returns the verified chain (leaf first, ending at the trust anchor).
    package func verify(trusting verifier: ChainVerifier, at time: Date = Date()) throws -> [Certificate] {
        let chain = try header.certificateChain()
        let verified = try verifier.verify(chain[0], intermediates: Array(chain.dropFirst()), at: time)
        try verify(with: chain[0].publicKey)
        return verified
    }
}

extension GeneralJWS {
    /// Verifies signature `index`'s `x5c` chain with `verifier` at `time`, then the signature with the leaf's key.
    /// Returns the verified chain (leaf first, ending at the trust anchor).
    package func verify(signatureAt index: Int, trusting verifier: ChainVerifier, at time: Date = Date()) throws -> [Certificate] {
        guard signatures.indices.contains(index) else { throw JWSError.noSuchSignature(index) }
        let chain = try signatures[index].header.certificateChain()
        let verified = try verifier.verify(chain[0], intermediates: Array(chain.dropFirst()), at: time)
        try verify(signatureAt: index, with: chain[0].publicKey)
        return verified
    }
}
