import Foundation
import VerbundConnector

/// Where `verbund fetch` puts the data, checked before anything is requested: a transfer may count against the
/// contract, so a path that cannot work must fail before one is started. The daemon writes the file on the same host.
struct FetchTarget {
    let path: String

    /// What is at the path now.
    enum Existing: Equatable {
        case nothing
        case file(size: Int64)
    }

    /// Refuses a path whose folder is missing or not a folder, and a path that is a folder.
    static func check(_ path: String) throws(CLIError) -> FetchTarget {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw .refused("the folder \(TerminalText.shown(folder)) for --out does not exist; create it first "
                           + "(mkdir -p \(TerminalText.shown(folder))) or choose another --out")
        }
        guard isFolder.boolValue else {
            throw .refused("\(TerminalText.shown(folder)) is not a folder, so --out \(TerminalText.shown(path)) cannot be written")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .refused("--out \(TerminalText.shown(path)) is a folder; give a file name inside it, e.g. "
                           + "\(TerminalText.shown(path.hasSuffix("/") ? path : path + "/"))data.csv")
        }
        return FetchTarget(path: path)
    }

    var existing: Existing {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.int64Value else { return .nothing }
        return .file(size: size)
    }

    /// The completed transfer whose verified data the file holds now (same size and SHA-256), if any.
    func fetchedBy(_ transfers: [TransferSummary]) -> TransferSummary? {
        guard case let .file(size) = existing else { return nil }
        let candidates = transfers.filter { $0.state == "COMPLETED" && $0.bytes == size && $0.sha256 != nil }
        guard !candidates.isEmpty, let digest = try? DownloadFile.sha256(at: path) else { return nil }
        return candidates.first { $0.sha256 == digest }
    }
}
