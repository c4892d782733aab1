import Foundation

/// Reading and writing `xsd:dateTime` / `xsd:date` lexical forms (XML Schema 1.1 Part 2 §3.3.7, §3.3.9) without a
/// formatter or the process clock. Verbund writes UTC with a `Z` and whole seconds.
package enum XSDDateTime {
    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDThh:mm`, `YYYY-MM-DDThh:mm:ss(.fff)` with an optional `Z` or `±hh:mm`.
    /// A value without a time zone is read as UTC; a date alone is midnight UTC.
    package static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        var index = 0

        func digits(_ count: Int) -> Int? {
            guard index + count <= chars.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let c = chars[index + offset]
                guard c >= 0x30, c <= 0x39 else { return nil }
                value = value * 10 + Int(c - 0x30)
            }
            index += count
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < chars.count, chars[index] == byte else { return false }
            index += 1
            return true
        }

        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = 0.0
        if expect(0x54) {  // "T"
            guard let hour = digits(2), expect(0x3A), let minute = digits(2), hour <= 24, minute <= 59 else {
                return nil
            }
            var second = 0.0
            if expect(0x3A) {
                guard let whole = digits(2), whole <= 59 else { return nil }
                second = Double(whole)
                if expect(0x2E) {
                    var scale = 0.1
                    var sawDigit = false
                    while index < chars.count, chars[index] >= 0x30, chars[index] <= 0x39 {
                        second += Double(chars[index] - 0x30) * scale
                        scale /= 10
                        index += 1
                        sawDigit = true
                    }
                    guard sawDigit else { return nil }
                }
            }
            // 24:00:00 is allowed only as the end of the day.
            if hour == 24, minute != 0 || second != 0 { return nil }
            seconds = Double(hour * 3600 + minute * 60) + second
        }
        if expect(0x5A) {  // "Z"
        } else if index < chars.count, chars[index] == 0x2B || chars[index] == 0x2D {
            let sign = chars[index] == 0x2B ? 1 : -1
            index += 1
            guard let hours = digits(2), expect(0x3A), let minutes = digits(2), hours <= 14, minutes <= 59 else {
                return nil
            }
            seconds -= Double(sign * (hours * 3600 + minutes * 60))
        }
        guard index == chars.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let instant = Double(days) * 86_400 + seconds
        // A time zone or 24:00 can carry year 0000 or 9999 out of the four-digit years `format` writes; such an
        // instant would be written as text nobody (Verbund included) reads back, so it is refused here.
        guard instant >= earliest, instant < latestExclusive else { return nil }
        return Date(timeIntervalSince1970: instant)
    }

    /// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds since 1970: the UTC instants `format` can write.
    private static let earliest = Double(daysFromCivil(year: 1, month: 1, day: 1)) * 86_400
    private static let latestExclusive = Double(daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400

    /// `YYYY-MM-DDThh:mm:ssZ` in UTC; fractional seconds are kept only when present.
    package static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let wholeSeconds = Int64(interval.rounded(.down))
        let fraction = interval - Double(wholeSeconds)
        var days = wholeSeconds / 86_400
        var secondOfDay = wholeSeconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        let hour = secondOfDay / 3600, minute = (secondOfDay % 3600) / 60, second = secondOfDay % 60
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(Int(hour), 2) + ":" + pad(Int(minute), 2) + ":" + pad(Int(second), 2)
        if fraction >= 0.0005 {
            let millis = Int((fraction * 1000).rounded())
            text += "." + pad(min(millis, 999), 3)
        }
        return text + "Z"
    }

    /// `YYYY-MM-DD` of a UTC instant, for plain-words descriptions.
    package static func formatDay(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    private static func pad(_ value: some BinaryInteger, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's civil-from/to-days algorithms).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
