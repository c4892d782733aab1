import Foundation

/// verbund-bench: measurements on this machine (docs/performance.md).
let arguments = CommandLine.arguments.dropFirst()
do {
    switch arguments.first {
    case "catalog":
        try CatalogBenchmark(arguments: arguments.dropFirst()).run()
    case "audit":
        try AuditBenchmark(arguments: arguments.dropFirst()).run()
    default:
        FileHandle.standardError.write(Data(("usage: verbund-bench catalog [--datasets N] [--walks W] [--crawls C] [--markdown FILE]\n"
            + "       verbund-bench audit …\n\n" + AuditBenchmark.usage).utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("verbund-bench: \(error)\n".utf8))
    exit(1)
}
