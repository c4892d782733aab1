import Foundation
import Testing
import VerbundTestSupport
import VerbundFederation
@testable import VerbundConnector

/// `Connector.start` refuses to start, before anything runs, with one message per problem naming what to fix.
@Suite(.offCooperativePool) struct StartupValidationTests {
    private func startError(_ federation: FederationFixture, _ id: String = "a",
                            adjust: (inout ConnectorConfiguration) -> Void) -> ConnectorStartError? {
        do {
            let running = try federation.start(id, adjust: adjust)
            running.stop()
            return nil
        } catch let error as ConnectorStartError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func everyBadFieldIsReportedOnce() throws {
        let federation = try FederationFixture(members: ["a"])
        let error = startError(federation) { configuration in
            configuration.memberId = "A!"
            configuration.listen = "nowhere"
            configuration.endpoint = "http://127.0.0.1/dsp"
            configuration.management = "0.0.0.0:8444"
            configuration.federationPollSeconds = -1
            configuration.keyFile = ""
        }
        guard case let .configuration(problems) = error else {
            Issue.record("expected configuration problems, got \(String(describing: error))")
            return
        }
        let fields = problems.map(\.field)
        #expect(Set(fields) == ["memberId", "listen", "endpoint", "management", "federationPollSeconds", "keyFile"])
        #expect(fields.count == Set(fields).count, "one problem per field: \(problems)")
        #expect(problems.first { $0.field == "management" }?.message.contains("loopback") == true)
        // Nothing was created: the data directory does not exist.
        #expect(!FileManager.default.fileExists(atPath: federation.members["a"]!.folder + "/data"))
    }

    @Test func aKeyOthersCanReadIsRefused() throws {
        let federation = try FederationFixture(members: ["a"])
        chmod(federation.members["a"]!.keyFile, 0o644)
        let error = startError(federation) { _ in }
        guard case let .identity(reason) = error else {
            Issue.record("expected an identity error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("keyFile"))
    }

    @Test func aCertificateOfAnotherMemberIsRefused() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let error = startError(federation) { $0.certificateFile = federation.members["b"]!.certificateFile }
        guard case let .identity(reason) = error else {
            Issue.record("expected an identity error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("not issued for the key"))
    }

    @Test func missingOrForeignFederationFilesAreRefused() throws {
        let federation = try FederationFixture(members: ["a"])
        let missing = startError(federation) { $0.federation.registry = "/nonexistent/registry.jws" }
        guard case .federation = missing else {
            Issue.record("expected a federation error, got \(String(describing: missing))")
            return
        }
        let other = try FederationFixture(members: ["x"], federationId: "otherfed")
        let foreign = startError(federation) { $0.federation.registry = other.adminFolder.registry }
        guard case let .federation(reason) = foreign else {
            Issue.record("expected a federation error, got \(String(describing: foreign))")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func aStaleCRLWarnsOrRefusesAsConfigured() throws {
        let federation = try FederationFixture(members: ["a"])
        // Forty days on, the 30-day CRL is stale.
        let later = Date().addingTimeInterval(40 * 86_400)
        let warned = try federation.start("a", options: { $0.clock = { later } })
        let line = try #require(warned.log.waitFor("federation.crl.stale"))
        #expect(line["level"] as? String == "warning")
        let health = try ManagementJSON.decoder().decode(HealthReport.self, from: Data(try warned.management("/healthz").body))
        #expect(health.status == "degraded" && health.crlStale)
        warned.stop()
        let fatal: ConnectorStartError?
        do {
            try federation.start("a", adjust: { $0.crlStaleIsFatal = true }, options: { $0.clock = { later } }).stop()
            fatal = nil
        } catch let error as ConnectorStartError {
            fatal = error
        }
        guard case let .federation(reason) = fatal else {
            Issue.record("expected the stale CRL to be fatal, got \(String(describing: fatal))")
            return
        }
        #expect(reason.contains("stale"))
    }

    @Test func aPortInUseIsNamed() throws {
        let federation = try FederationFixture(members: ["a"])
        let first = try federation.start("a")
        defer { first.stop() }
        let error = startError(federation) { $0.dataDirectory += "-second" }
        guard case let .listener(reason) = error else {
            Issue.record("expected a listener error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("(listen)"))
    }
}
