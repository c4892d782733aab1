import Foundation

/// Why a file a person named cannot be read, told apart the way they would fix it: it is not there, it is a folder,
/// or this user may not read it (never Foundation's `NSCocoaErrorDomain Code=260 …`).
enum FileProblem {
    /// `what` names the file's role, e.g. "the policy file".
    static func describe(path: String, what: String) -> String {
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            return "\(what) \(path) does not exist; check the path (relative paths start in \(manager.currentDirectoryPath))"
        }
        if isDirectory.boolValue { return "\(what) \(path) is a folder, not a file" }
        if !manager.isReadableFile(atPath: path) {
            return "\(what) \(path) is not readable by this user; check its owner and mode (ls -l \(path))"
        }
        return "\(what) \(path) could not be read"
    }

    /// The same for a folder the command needs, e.g. the federation admin folder.
    static func describeFolder(path: String, what: String, create: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "\(what) \(path) does not exist; \(create)"
        }
        return isDirectory.boolValue ? nil : "\(what) \(path) is a file, not a folder"
    }
}
