// The one libFuzzer entry point of Verbund's fuzz binary (built by scripts/fuzz.sh). VERBUND_FUZZ_TARGET selects
// the parser under test; each target checks cheap properties (round trips, agreement of two readings, bounds) and
// stops the process with `fatalError` when one does not hold, which libFuzzer reports as a crash.
import Foundation

struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "http-request") { bytes in bytes.withUnsafeBytes { fuzzHTTPRequestParser($0) } },
        FuzzTarget(name: "http-response") { bytes in bytes.withUnsafeBytes { fuzzHTTPResponseParser($0) } },
        FuzzTarget(name: "range") { fuzzByteRange($0) },
        FuzzTarget(name: "json") { fuzzJSONParser($0) },
        FuzzTarget(name: "canonical-json") { fuzzCanonicalJSON($0) },
        FuzzTarget(name: "dsp") { fuzzDSPMessages($0) },
        FuzzTarget(name: "jws") { fuzzJWS($0) },
        FuzzTarget(name: "x509") { fuzzX509($0) },
        FuzzTarget(name: "registry") { fuzzRegistry($0) },
        FuzzTarget(name: "merkle") { fuzzMerkleProofs($0) },
        FuzzTarget(name: "evidence") { fuzzEvidenceBundle($0) },
        FuzzTarget(name: "xsd-datetime") { fuzzXSDDateTime($0) },
        FuzzTarget(name: "iso-duration") { fuzzISO8601Duration($0) },
    ]

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["VERBUND_FUZZ_TARGET"] ?? ""
        guard let target = all.first(where: { $0.name == name }) else {
            fatalError("set VERBUND_FUZZ_TARGET to one of: \(all.map(\.name).joined(separator: " "))")
        }
        return target
    }()

    /// A file of the repository (seed material such as a federation root), found from VERBUND_FUZZ_REPOSITORY.
    static func repositoryFile(_ path: String) -> [UInt8] {
        let root = ProcessInfo.processInfo.environment["VERBUND_FUZZ_REPOSITORY"] ?? "."
        guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
            fatalError("cannot read \(root)/\(path); set VERBUND_FUZZ_REPOSITORY to the repository")
        }
        return Array(data)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func verbundFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    FuzzTarget.selected.run(bytes)
    return 0
}

/// Stops the fuzzer with a message when a property does not hold.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError(message()) }
}
