import Foundation
import Synchronization

/// Counters and gauges of the daemon and its modules, exposed in the Prometheus text format (version 0.0.4) on the
/// management API's `/metrics`.
///
/// A metric family is declared once with `counter(_:help:)` or `gauge(_:help:)`, then updated by name and labels.
/// Gauges whose value lives elsewhere (the outbox depth in SQLite) are `sampled`: the closure runs at scrape time.
/// Updating an undeclared name is a programming error and is ignored rather than crashing the daemon.
package final class MetricsRegistry: Sendable {
    package enum Kind: String, Sendable { case counter, gauge }

    /// Label name → value, e.g. `["route": "/negotiations/:pid", "status": "200"]`.
    package typealias Labels = [String: String]
    package typealias Sampler = @Sendable () -> [(labels: Labels, value: Double)]

    private struct Family {
        let kind: Kind
        let help: String
        var values: [LabelKey: Double] = [:]
        var sampler: Sampler?
    }

    /// Labels in a canonical order, so `["a": "1", "b": "2"]` and `["b": "2", "a": "1"]` are one series.
    private struct LabelKey: Hashable, Comparable {
        let pairs: [String]
        init(_ labels: Labels) { pairs = labels.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] } }
        static func < (lhs: LabelKey, rhs: LabelKey) -> Bool { lhs.pairs.lexicographicallyPrecedes(rhs.pairs) }
    }

    private let families = Mutex<[String: Family]>([:])

    package init() {}

    /// Declares a counter (a value that only goes up); declaring it again is harmless.
    package func counter(_ name: String, help: String) { declare(name, kind: .counter, help: help, sampler: nil) }

    /// Declares a gauge (a value that goes up and down).
    package func gauge(_ name: String, help: String) { declare(name, kind: .gauge, help: help, sampler: nil) }

    /// Declares a gauge whose series are read by `sample` at every scrape.
    package func sampledGauge(_ name: String, help: String, sample: @escaping Sampler) {
        declare(name, kind: .gauge, help: help, sampler: sample)
    }

    /// Declares a counter whose series are read by `sample` at every scrape (a count kept elsewhere, e.g. by a server).
    /// Unlike the other declarations it replaces an earlier sampler, so a restarted listener reports its own count.
    package func sampledCounter(_ name: String, help: String, sample: @escaping Sampler) {
        families.withLock { families in
            if families[name]?.kind == .counter { families[name]?.sampler = sample; return }
            families[name] = Family(kind: .counter, help: help, sampler: sample)
        }
    }

    private func declare(_ name: String, kind: Kind, help: String, sampler: Sampler?) {
        families.withLock { families in
            if families[name] == nil { families[name] = Family(kind: kind, help: help, sampler: sampler) }
        }
    }

    /// Adds `amount` (≥ 0) to a counter series.
    package func increment(_ name: String, labels: Labels = [:], by amount: Double = 1) {
        guard amount >= 0 else { return }
        families.withLock { families in
            guard families[name]?.kind == .counter else { return }
            families[name]?.values[LabelKey(labels), default: 0] += amount
        }
    }

    /// Sets a gauge series.
    package func set(_ name: String, labels: Labels = [:], to value: Double) {
        families.withLock { families in
            guard families[name]?.kind == .gauge else { return }
            families[name]?.values[LabelKey(labels)] = value
        }
    }

    /// The current value of one series (tests, `/api/status`).
    package func value(_ name: String, labels: Labels = [:]) -> Double? {
        families.withLock { $0[name]?.values[LabelKey(labels)] }
    }

    /// The text exposition: `# HELP`, `# TYPE`, then one line per series, families sorted by name.
    package func exposition() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            guard let family = snapshot[name] else { continue }
            out += "# HELP \(name) \(Self.escapeHelp(family.help))\n# TYPE \(name) \(family.kind.rawValue)\n"
            var series = family.values.map { (key: $0.key, value: $0.value) }
            // Samplers run outside the lock: they may read the database.
            if let sampler = family.sampler {
                series += sampler().map { (key: LabelKey($0.labels), value: $0.value) }
            }
            for entry in series.sorted(by: { $0.key < $1.key }) {
                out += name + Self.labelText(entry.key) + " " + Self.number(entry.value) + "\n"
            }
        }
        return out
    }

    private static func labelText(_ key: LabelKey) -> String {
        guard !key.pairs.isEmpty else { return "" }
        var parts: [String] = []
        var index = 0
        while index + 1 < key.pairs.count {
            parts.append("\(key.pairs[index])=\"\(escapeLabel(key.pairs[index + 1]))\"")
            index += 2
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// Prometheus text format: label values escape `\`, `"` and newline; HELP escapes `\` and newline.
    private static func escapeLabel(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
