import Foundation
import Synchronization
import VerbundTrust

/// What a connector trusts about its federation: the root certificate, the newest accepted registry and CRL.
///
/// Thread-safe (state behind a `Mutex`); connection threads call `admit`, the federation sync calls `offer`.
/// Registries and CRLs only ever move forward: a lower or equal serial (rollback, replay) is refused.
package final class FederationTrust: Sendable {
    private struct State {
        var registry: SignedRegistry
        var crl: CertificateRevocationList
    }

    package let root: Certificate
    package let federationId: String
    package let staleCRLPolicy: StaleCRLPolicy
    private let state: Mutex<State>

    /// Starts from a registry and CRL that must verify against `root` at `now`.
    package init(
        root: Certificate, registry compact: String, crl: CertificateRevocationList, federationId: String? = nil,
        staleCRLPolicy: StaleCRLPolicy = .warn, now: Date = Date()
    ) throws(FederationTrustError) {
        guard root.isCA, root.isSigned(by: root) else {
            throw .rootInvalid("\(root.subject) is not a self-signed CA certificate")
        }
        guard crl.isSigned(by: root) else { throw .crlInvalid("the CRL is not signed by the federation root \(root.subject)") }
        if staleCRLPolicy == .refuse, case let .stale(nextUpdate) = CRLFreshness(nextUpdate: crl.nextUpdate, now: now) {
            throw .crlInvalid("the CRL is stale (nextUpdate \(InternetDateTime.string(from: nextUpdate)) has passed); fetch a fresh crl.pem")
        }
        let registry: SignedRegistry
        do {
            registry = try SignedRegistry(compact: compact, root: root, crl: crl, expectedFederation: federationId, at: now,
                                          staleCRLPolicy: staleCRLPolicy)
        } catch {
            throw .registryInvalid(error)
        }
        self.root = root
        self.federationId = registry.registry.federation.id
        self.staleCRLPolicy = staleCRLPolicy
        state = Mutex(State(registry: registry, crl: crl))
    }

    /// Loads `root.pem`, `registry.jws` and `crl.pem` from the given paths.
    package convenience init(
        rootFile: String, registryFile: String, crlFile: String, federationId: String? = nil,
        staleCRLPolicy: StaleCRLPolicy = .warn, now: Date = Date()
    ) throws(FederationTrustError) {
        let root: Certificate
        let crl: CertificateRevocationList
        do { root = try Certificate(pem: try Self.read(rootFile)) } catch { throw .rootInvalid("\(rootFile): \(error)") }
        do { crl = try CertificateRevocationList(pem: try Self.read(crlFile)) } catch { throw .crlInvalid("\(crlFile): \(error)") }
        let compact: String
        do { compact = try Self.read(registryFile) } catch { throw .registryUnreadable("\(error)") }
        try self.init(root: root, registry: compact, crl: crl, federationId: federationId, staleCRLPolicy: staleCRLPolicy, now: now)
    }

    package var signedRegistry: SignedRegistry { state.withLock { $0.registry } }
    package var registry: MemberRegistry { state.withLock { $0.registry.registry } }
    package var crl: CertificateRevocationList { state.withLock { $0.crl } }

    /// Whether the held CRL is past its nextUpdate; the connector logs a loud warning while it is.
    package func crlFreshness(at now: Date) -> CRLFreshness {
        CRLFreshness(nextUpdate: crl.nextUpdate, now: now)
    }

    /// Offers a registry (from a file, a URL or a peer). Accepted only if it verifies and its serial is higher.
    package func offer(registry compact: String, now: Date = Date()) -> TrustUpdate {
        let heldCRL = crl
        let candidate: SignedRegistry
        do {
            candidate = try SignedRegistry(compact: compact, root: root, crl: heldCRL, expectedFederation: federationId, at: now,
                                           staleCRLPolicy: staleCRLPolicy)
        } catch {
            return .refused(error.description)
        }
        return state.withLock { state in
            let held = state.registry.registry.serial
            let offered = candidate.registry.serial
            if offered == held {
                // The same serial with other bytes would be a second registry under one number: never accept it.
                let same = candidate.compact == state.registry.compact
                return .refused(same ? "registry serial \(offered) is the one already held (replay)"
                                     : "registry serial \(offered) is already held with different content (replay of a serial)")
            }
            guard offered > held else {
                return .refused("registry serial \(offered) is older than the held serial \(held) (rollback)")
            }
            state.registry = candidate
            return .accepted(from: held, to: offered, warning: nil)
        }
    }

    /// Offers a CRL. Accepted only if the federation root signed it and its CRL number (or, without one, its
    /// thisUpdate) is newer. A stale CRL is accepted with a warning, or refused under `StaleCRLPolicy.refuse`.
    package func offer(crl candidate: CertificateRevocationList, now: Date = Date()) -> TrustUpdate {
        guard candidate.isSigned(by: root) else { return .refused("the CRL is not signed by the federation root \(root.subject)") }
        let freshness = CRLFreshness(nextUpdate: candidate.nextUpdate, now: now)
        var warning: String?
        if case let .stale(nextUpdate) = freshness {
            let text = "the offered CRL is already stale (nextUpdate \(InternetDateTime.string(from: nextUpdate)))"
            if staleCRLPolicy == .refuse { return .refused(text) }
            warning = text + "; ask the federation admin to reissue it"
        }
        return state.withLock { state in
            let held = state.crl
            let heldNumber = held.number ?? 0
            let offeredNumber = candidate.number ?? 0
            if held.number != nil || candidate.number != nil {
                if offeredNumber == heldNumber {
                    return .refused("CRL number \(offeredNumber) is the one already held (replay)")
                }
                guard offeredNumber > heldNumber else {
                    return .refused("CRL number \(offeredNumber) is older than the held number \(heldNumber) (rollback)")
                }
            } else {
                guard candidate.thisUpdate > held.thisUpdate else {
                    return .refused("the CRL's thisUpdate is not newer than the held CRL's (rollback or replay)")
                }
            }
            state.crl = candidate
            return .accepted(from: heldNumber, to: offeredNumber, warning: warning)
        }
    }

    /// Offers the registry in `path` (the connector's federation sync re-reads its registry file).
    package func offer(registryFile path: String, now: Date = Date()) -> TrustUpdate {
        do { return offer(registry: try Self.read(path), now: now) } catch { return .refused("\(error)") }
    }

    /// Offers the CRL in `path` (PEM).
    package func offer(crlFile path: String, now: Date = Date()) -> TrustUpdate {
        do {
            return offer(crl: try CertificateRevocationList(pemFile: path), now: now)
        } catch {
            return .refused("cannot read the CRL \(path): \(error)")
        }
    }

    /// A snapshot of the current registry and CRL for deciding about peers.
    package var admission: PeerAdmission {
        state.withLock { PeerAdmission(root: root, registry: $0.registry.registry, crl: $0.crl, staleCRLPolicy: staleCRLPolicy) }
    }

    /// Decides about a peer certificate with the current registry and CRL (see `PeerAdmission`).
    package func admit(_ certificate: Certificate, intermediates: [Certificate] = [], at now: Date = Date()) -> Result<Member, AdmissionRefusal> {
        admission.decide(certificate: certificate, intermediates: intermediates, at: now)
    }

    private static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FederationTrustError.fileUnreadable(path)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
