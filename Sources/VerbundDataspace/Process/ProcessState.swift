/// The state of a DSP process (negotiation or transfer), written on the wire as its raw value.
protocol ProcessState: RawRepresentable<String>, Codable, Hashable, Sendable {
    /// The process in words, for error text ("negotiation", "transfer").
    static var processName: String { get }
    /// A final state accepts no further messages.
    var isTerminal: Bool { get }
}

extension DSPVocabulary {
    /// A term as 2024-1 peers write enum values, `dspace:ACCEPTED`, without the prefix; the meaning is the same.
    static func withoutCompactPrefix(_ written: String) -> String {
        written.hasPrefix("dspace:") ? String(written.dropFirst(7)) : written
    }

    /// The bare term of a value written bare (`REQUESTED`), compact (`dspace:REQUESTED`) or as a full IRI.
    static func bareTerm(_ written: String) -> String {
        withoutCompactPrefix(written.split(separator: "/").last.map(String.init) ?? written)
    }
}
