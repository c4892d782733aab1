import Foundation
import Testing
import VerbundTrust

@Suite("InternetDateTime")
struct InternetDateTimeTests {
    @Test("formats like Foundation's .iso8601 strategy, whole seconds rounded down")
    func formatsLikeFoundation() throws {
        let dates = [0, 951_782_400.75, 1_795_000_000.999, 4_102_444_799, 1_234_567_890].map(Date.init(timeIntervalSince1970:))
        let foundation = JSONEncoder()
        foundation.dateEncodingStrategy = .iso8601
        let ours = JSONEncoder()
        ours.dateEncodingStrategy = .internetDateTime
        for date in dates {
            #expect(try ours.encode([date]) == foundation.encode([date]))
        }
        #expect(InternetDateTime.string(from: Date(timeIntervalSince1970: 951_782_400.75)) == "2000-02-29T00:00:00Z")
        #expect(InternetDateTime.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }

    @Test("parses Z and numeric offsets, fractions, leap days; round-trips")
    func parses() throws {
        #expect(InternetDateTime.date(from: "2026-11-22T02:26:21Z")?.timeIntervalSince1970 == 1_795_314_381)
        #expect(InternetDateTime.date(from: "2026-11-22T03:26:21+01:00")?.timeIntervalSince1970 == 1_795_314_381)
        #expect(InternetDateTime.date(from: "2026-11-21T20:56:21-05:30")?.timeIntervalSince1970 == 1_795_314_381)
        #expect(InternetDateTime.date(from: "2026-11-22T02:26:21.5Z")?.timeIntervalSince1970 == 1_795_314_381.5)
        #expect(InternetDateTime.date(from: "2024-02-29T00:00:00Z") != nil)
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(InternetDateTime.date(from: InternetDateTime.string(from: date)) == date)
        let foundation = JSONDecoder()
        foundation.dateDecodingStrategy = .iso8601
        let ours = JSONDecoder()
        ours.dateDecodingStrategy = .internetDateTime
        let json = Data(#"["2026-11-22T02:26:21Z","1999-12-31T23:59:59+02:00"]"#.utf8)
        #expect(try ours.decode([Date].self, from: json) == foundation.decode([Date].self, from: json))
    }

    @Test("refuses malformed and out-of-range date-times", arguments: [
        "", "2026-11-22", "2026-11-22T02:26:21", "2026-11-22 02:26:21Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T02:60:00Z", "2026-11-22T02:26:21.Z",
        "2026-11-22T02:26:21+0100", "2026-11-22T02:26:21Zjunk", "26-11-22T02:26:21Z", "2026-11-22T02:26:2xZ",
    ])
    func refuses(text: String) throws {
        #expect(InternetDateTime.date(from: text) == nil)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .internetDateTime
        #expect(throws: DecodingError.self) { try decoder.decode([Date].self, from: Data("[\"\(text)\"]".utf8)) }
    }
}
