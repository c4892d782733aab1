import Foundation
import VerbundDataspace
import VerbundStore
@testable import VerbundConnector

/// `verbund serve` as a child process with its log in a file, for crash tests (`kill -9`).
final class ServeDaemon {
    let process = Process()
    let logFile: String

    init(configurationFile: String, logFile: String, environment extra: [String: String] = [:]) throws {
        self.logFile = logFile
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: try ExecutableLocator.verbund())
        process.arguments = ["serve", "--config", configurationFile, "--log-level", "debug"]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Waits until the log has a line with `"event":"<event>"`.
    func waitForEvent(_ event: String, timeout: Double = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains("\"event\":\"\(event)\"") { return }
            guard process.isRunning else { throw FixtureError("verbund serve exited (\(process.terminationStatus)): \(log)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw FixtureError("verbund serve logged no \(event) within \(timeout) s: \(log)")
    }

    /// SIGKILL: no cleanup, no graceful stop.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait for the orderly exit.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// Publishes offers straight into the catalog module's table of a stopped connector's database, the way the catalog
/// module stores them (a `DatasetRecord` as JSON), creating the table when this build has no catalog module.
enum CatalogSeed {
    static func publish(_ record: DatasetRecord, databasePath: String) throws {
        let database = try Database(path: databasePath)
        defer { database.close() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        try database.transaction { tx in
            if try tx.queryFirst("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalog_dataset'") == nil {
                try tx.executeScript("""
                    CREATE TABLE catalog_dataset (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                        file_path TEXT NOT NULL, record TEXT NOT NULL, published_at_ms INTEGER NOT NULL) STRICT;
                    """)
            }
            try tx.execute("INSERT INTO catalog_dataset (id, file_path, record, published_at_ms) VALUES (?, ?, ?, ?)",
                           [.text(record.id), .text("/dev/null"), .text(json), .integer(0)])
        }
    }
}

/// A consumer's view of a provider's offers that needs no catalog endpoint.
struct StaticDatasets: DatasetSource {
    let datasets: [String: Dataset]

    func dataset(_ id: String, of peer: String, context: ConnectorContext) throws -> Dataset {
        guard let dataset = datasets[id] else { throw DatasetSourceError("no dataset \(id)") }
        return dataset
    }
}
