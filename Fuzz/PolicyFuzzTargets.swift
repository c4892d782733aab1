// Fuzz targets `xsd-datetime` and `iso-duration`: the lexical forms of policy constraints (dateTime and
// elapsedTime) that peers send inside offers and agreements.
import Foundation
@testable import VerbundDataspace

/// `xsd-datetime`: a parsed instant formats to text that parses back to the same instant (to the millisecond
/// the format keeps), and `formatDay` never traps.
func fuzzXSDDateTime(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let date = XSDDateTime.parse(text) else { return }
    let formatted = XSDDateTime.format(date)
    guard let again = XSDDateTime.parse(formatted) else { fatalError("\(text) formats to \(formatted), which does not parse") }
    require(abs(again.timeIntervalSince(date)) < 0.001, "\(text) → \(formatted) moved the instant")
    _ = XSDDateTime.formatDay(date)
}

/// `iso-duration`: a parsed duration is finite and not negative, its text parses to the same length, and its
/// plain-words description never traps.
func fuzzISO8601Duration(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let duration = try? ISO8601Duration(text) else { return }
    require(duration.seconds.isFinite && duration.seconds >= 0, "\(text) has length \(duration.seconds)")
    require((try? ISO8601Duration(duration.text))?.seconds == duration.seconds, "\(text) does not re-parse to the same length")
    _ = duration.description
}
