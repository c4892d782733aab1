import Foundation

/// Renders download progress: on a terminal one line redrawn in place with a bar, rate and ETA; otherwise a plain
/// line at most every few seconds (logs, pipes, CI).
struct TransferProgressBar {
    let isTerminal: Bool
    private let began = ContinuousClock.now
    private var startBytes: Int64?
    private var lastPlain = ContinuousClock.now - .seconds(60)
    private let write: (String) -> Void

    init(isTerminal: Bool, write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    mutating func update(bytes: Int64, total: Int64?) {
        if startBytes == nil { startBytes = bytes }  // a resumed download's rate counts only this run's bytes
        let elapsed = Self.seconds(ContinuousClock.now - began)
        // A rate over less than a second (a small file's whole download) is noise: none is shown then.
        let rate: Double? = elapsed >= 1 ? Double(bytes - (startBytes ?? 0)) / elapsed : nil
        if isTerminal {
            write("\r" + line(bytes: bytes, total: total, rate: rate, bar: true) + "\u{1B}[K")
        } else if ContinuousClock.now - lastPlain >= .seconds(2) {
            lastPlain = ContinuousClock.now
            write(line(bytes: bytes, total: total, rate: rate, bar: false) + "\n")
        }
    }

    /// Ends the in-place line so what follows starts on its own line.
    func finish() {
        if isTerminal { write("\n") }
    }

    func line(bytes: Int64, total: Int64?, rate: Double?, bar: Bool) -> String {
        var parts: [String] = []
        if let total, total > 0 {
            let fraction = min(1, Double(bytes) / Double(total))
            if bar {
                let width = 30
                let filled = Int((fraction * Double(width)).rounded(.down))
                parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]")
            }
            parts.append(String(format: "%3.0f%%", fraction * 100))
            parts.append("\(Self.size(bytes)) of \(Self.size(total))")
        } else {
            parts.append(Self.size(bytes))
        }
        if let rate { parts.append("\(Self.size(Int64(rate)))/s") }
        if let total, let rate, rate > 0, total > bytes {
            parts.append("ETA " + Self.clock(Double(total - bytes) / rate))
        }
        return parts.joined(separator: "  ")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, (total % 3600) / 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }
}
