import VerbundHTTP

/// The header fields connectors use to spread newer registries and CRLs (docs/design.md §11: "a connector that sees
/// a higher serial in a peer's header fetches and verifies it"). Every DSP response and every request to a peer
/// carries both.
package enum FederationHeaders {
    /// The serial of the registry the sender holds.
    package static let registrySerial = "Verbund-Registry-Serial"
    /// The CRL number (RFC 5280 §5.2.3) of the CRL the sender holds.
    package static let crlNumber = "Verbund-CRL-Number"

    /// What a peer announced; nil fields were absent or malformed (and are then ignored).
    package struct Announcement: Sendable, Equatable {
        package let registrySerial: UInt64?
        package let crlNumber: UInt64?

        package init(registrySerial: UInt64?, crlNumber: UInt64?) {
            self.registrySerial = registrySerial
            self.crlNumber = crlNumber
        }

        package init(_ headers: HTTPHeaders) {
            registrySerial = headers[FederationHeaders.registrySerial].flatMap { UInt64($0) }
            crlNumber = headers[FederationHeaders.crlNumber].flatMap { UInt64($0) }
        }
    }

    /// Sets both fields from what `trust` holds now.
    static func stamp(_ headers: inout HTTPHeaders, registrySerial: UInt64, crlNumber: UInt64?) {
        headers.set(Self.registrySerial, String(registrySerial))
        if let crlNumber { headers.set(Self.crlNumber, String(crlNumber)) }
    }
}
