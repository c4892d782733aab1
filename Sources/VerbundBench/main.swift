import Foundation

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "catalog":
    do { try CatalogBenchmark(arguments: arguments.dropFirst()).run() } catch {
        FileHandle.standardError.write(Data("verbund-bench: \(error)\n".utf8))
        exit(1)
    }
default:
    FileHandle.standardError.write(Data("usage: verbund-bench catalog [--datasets N] [--walks W] [--crawls C] [--markdown FILE]\n".utf8))
    exit(2)
}
