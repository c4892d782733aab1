/// An ISO 8601 duration with a fixed length (ISO 8601-1:2019 §5.5.2): weeks, days, hours, minutes and seconds,
/// e.g. `P30D`, `PT1H`, `P1W`, `P1DT12H`, `PT0.5S`. Years and months are refused because their length depends
/// on the calendar, and an `elapsedTime` limit must mean the same for provider and auditor.
package struct ISO8601Duration: Sendable, Hashable, CustomStringConvertible {
    package let seconds: Double
    package let text: String

    package enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed(String)
        case calendarUnit(String)
        case tooLong(String)

        package var description: String {
            switch self {
            case .malformed(let text):
                return "\"\(text)\" is not an ISO 8601 duration such as P30D or PT1H"
            case .calendarUnit(let text):
                return "\"\(text)\" uses years or months, which have no fixed length; write days instead (e.g. P365D)"
            case .tooLong(let text):
                return "\"\(text)\" is longer than 10000 years (P3652500D); leave out the elapsedTime constraint for no limit"
            }
        }
    }

    /// 10 000 years of 365.25 days: far beyond any agreement, and exact as a Double and as whole Int64 seconds.
    package static let maximumSeconds: Double = 10_000 * 365.25 * 86_400

    package init(_ text: String) throws(ParseError) {
        var rest = Substring(text)
        guard rest.first == "P", rest.count > 1 else { throw .malformed(text) }
        rest = rest.dropFirst()
        var total = 0.0
        var inTime = false
        var number = ""
        var sawComponent = false
        var lastRank = -1
        for char in rest {
            if char == "T" {
                guard !inTime, number.isEmpty else { throw .malformed(text) }
                inTime = true
                continue
            }
            if char.isNumber || char == "." || char == "," {
                number.append(char == "," ? "." : char)
                continue
            }
            guard let value = Double(number), value >= 0 else { throw .malformed(text) }
            number = ""
            let rank: Int
            let unit: Double
            switch (char, inTime) {
            case ("Y", false), ("M", false): throw .calendarUnit(text)
            case ("W", false): rank = 0; unit = 604_800
            case ("D", false): rank = 1; unit = 86_400
            case ("H", true): rank = 2; unit = 3600
            case ("M", true): rank = 3; unit = 60
            case ("S", true): rank = 4; unit = 1
            default: throw .malformed(text)
            }
            guard rank > lastRank else { throw .malformed(text) }
            lastRank = rank
            total += value * unit
            sawComponent = true
        }
        guard number.isEmpty, sawComponent, !(inTime && lastRank < 2) else { throw .malformed(text) }
        // A peer's digits can make any Double, up to infinity; whole seconds must stay an Int64 (see `description`).
        guard total <= Self.maximumSeconds else { throw .tooLong(text) }
        self.seconds = total
        self.text = text
    }

    package var description: String {
        var remaining = Int64(seconds.rounded())
        var parts: [String] = []
        for (size, singular) in [(Int64(86_400), "day"), (3600, "hour"), (60, "minute"), (1, "second")] {
            let count = remaining / size
            remaining %= size
            if count > 0 { parts.append("\(count) \(singular)\(count == 1 ? "" : "s")") }
        }
        return parts.isEmpty ? "0 seconds" : parts.joined(separator: " ")
    }
}
