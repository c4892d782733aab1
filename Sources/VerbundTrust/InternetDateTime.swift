import Foundation
import Glibc

/// RFC 3339 §5.6 `date-time` in UTC, formatted and parsed with `gmtime_r`/`timegm` only.
///
/// Foundation's ISO 8601 formatters and the `.iso8601` JSON date strategies resolve time zones through ICU, which
/// maps about 5–10 MiB of ICU code and data into a process that only ever writes UTC. The daemon formats every date
/// through this type instead; the output is byte for byte what `.iso8601` writes (`2026-11-22T02:26:21Z`, whole
/// seconds rounded down), so stored and signed documents do not change.
package enum InternetDateTime {
    /// `YYYY-MM-DDTHH:MM:SSZ`; a fraction of a second is dropped (rounded towards the past).
    package static func string(from date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(digits(Int(parts.tm_year) + 1900, 4))-\(digits(Int(parts.tm_mon) + 1, 2))-\(digits(Int(parts.tm_mday), 2))"
            + "T\(digits(Int(parts.tm_hour), 2)):\(digits(Int(parts.tm_min), 2)):\(digits(Int(parts.tm_sec), 2))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` (RFC 3339 §5.6); nil for anything else, including
    /// out-of-range fields (month 13, 24:00, a 61st second).
    package static func date(from text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"), let month = scanner.number(2), scanner.skip("-"),
              let day = scanner.number(2), scanner.skip("T"), let hour = scanner.number(2), scanner.skip(":"),
              let minute = scanner.number(2), scanner.skip(":"), let second = scanner.number(2) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
              second < 61 else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            var scale = 0.1
            var count = 0
            while let digit = scanner.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                count += 1
            }
            guard count > 0 else { return nil }
        }
        var offset = 0
        if scanner.skip("Z") {
            offset = 0
        } else if let sign = scanner.sign(), let offsetHours = scanner.number(2), scanner.skip(":"),
                  let offsetMinutes = scanner.number(2), offsetHours < 24, offsetMinutes < 60 {
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let utc = timegm(&parts)
        return Date(timeIntervalSince1970: Double(utc - time_t(offset)) + fraction)
    }

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }

        mutating func number(_ width: Int) -> Int? {
            var value = 0
            for _ in 0..<width {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}

extension JSONEncoder.DateEncodingStrategy {
    /// RFC 3339 UTC in whole seconds, the same text as `.iso8601`, without ICU (see `InternetDateTime`).
    package static var internetDateTime: Self {
        .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(InternetDateTime.string(from: date))
        }
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// RFC 3339 date-times as `.iso8601` reads them (also with a fraction of a second), without ICU.
    package static var internetDateTime: Self {
        .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = InternetDateTime.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription:
                    "'\(text)' is not an RFC 3339 date-time such as 2026-11-22T02:26:21Z")
            }
            return date
        }
    }
}
