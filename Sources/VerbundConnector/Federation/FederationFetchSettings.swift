/// Bounds of registry/CRL fetches from peers that announced newer ones (see `FederationFetchSchedule` and
/// `PeerMaterialFetch`); part of `ConnectorOptions`. The defaults suit a federation of hundreds of members.
package struct FederationFetchSettings: Sendable, Equatable {
    /// Fetches in flight over all peers (never more than one per peer).
    package var maxInFlight: Int
    /// Fetches one peer's announcements may start at once, and the time after which it earns one more.
    package var burstPerPeer: Int
    package var refillPerPeer: Duration
    /// TOTAL time of one fetch, from connecting to the last body byte.
    package var deadline: Duration
    /// The largest registry and CRL a peer may send.
    package var maxRegistryBytes: Int
    package var maxCRLBytes: Int

    package init(maxInFlight: Int = 4, burstPerPeer: Int = 3, refillPerPeer: Duration = .seconds(20),
                deadline: Duration = .seconds(15), maxRegistryBytes: Int = 4 * 1024 * 1024, maxCRLBytes: Int = 4 * 1024 * 1024) {
        self.maxInFlight = maxInFlight
        self.burstPerPeer = burstPerPeer
        self.refillPerPeer = refillPerPeer
        self.deadline = deadline
        self.maxRegistryBytes = maxRegistryBytes
        self.maxCRLBytes = maxCRLBytes
    }

    var limits: FederationFetchSchedule.Limits {
        .init(maxInFlight: maxInFlight, burst: burstPerPeer, refill: refillPerPeer)
    }

    var bounds: PeerMaterialFetch.Bounds {
        .init(deadline: deadline, maxRegistryBytes: maxRegistryBytes, maxCRLBytes: maxCRLBytes)
    }
}
