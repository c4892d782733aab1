import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundCLI
@testable import VerbundConnector

/// The role table (issue 12): which role may call which management route, checked against the routes the modules
/// really register, so a new route without a permission entry fails here.
@Suite(.offCooperativePool) struct AccountRoleTests {
    /// Every management route `verbund serve` registers, as "METHOD pattern".
    private func registeredRoutes() throws -> [(HTTPMethod, String)] {
        let fixture = try FederationFixture(members: ["a"])
        let harness = try RouteHarness(fixture, member: "a", modules: ConnectorModules.all(limits: ConnectorLimits()))
        return harness.routers.management.routes.map { ($0.method, $0.pattern.description) }
    }

    @Test func everyRegisteredRouteHasAPermissionEntry() throws {
        let routes = try registeredRoutes()
        #expect(routes.count >= 25, "the management router lists \(routes.count) routes")
        for (method, pattern) in routes where !ManagementRoutePermissions.open.contains(pattern) {
            #expect(ManagementRoutePermissions.required(method, pattern) != nil,
                    "\(method) \(pattern) has no entry in ManagementRoutePermissions.table: decide which permission it needs")
        }
        // No stale entries either: every table entry names a registered route.
        let registered = Set(routes.map { "\($0.0 == .head ? "GET" : $0.0.description) \($0.1)" })
        for key in ManagementRoutePermissions.table.keys {
            #expect(registered.contains(key), "\(key) is in the table but no module registers it")
        }
    }

    /// Console pages that are a GET but only the form for a change (the auditor may not see them), and console
    /// POSTs that change nothing (checking an uploaded evidence bundle).
    static let formsForChanges: Set<String> = ["/console/datasets/new"]
    static let postsThatChangeNothing: Set<String> = ["/console/audit/verify"]

    @Test func everyRouteWithEveryRole() throws {
        for (method, pattern) in try registeredRoutes() {
            // Reading a partner's API through the connector spends the contract's request budget: a change.
            let changes = (method != .get && method != .head && !Self.postsThatChangeNothing.contains(pattern))
                || Self.formsForChanges.contains(pattern) || ConsumerAPIProxy.patterns.contains(pattern)
            let accounts = pattern.hasPrefix("/api/accounts") || pattern.hasPrefix("/console/accounts")
            for role in AccountRole.allCases {
                let decision = ManagementRoutePermissions.decide(role, method, pattern)
                let allowed = decision == .allowed
                if ManagementRoutePermissions.open.contains(pattern) {
                    #expect(allowed, "\(role) \(method) \(pattern)")
                    continue
                }
                switch role {
                case .operator:
                    #expect(allowed, "operator \(method) \(pattern)")
                case .steward:
                    // Everything but the audit log and evidence.
                    let auditOnly = pattern.hasPrefix("/api/audit/") || pattern.hasPrefix("/console/audit") || pattern.hasSuffix("/evidence") || pattern.hasSuffix("/export")
                    #expect(allowed == !(auditOnly || accounts), "steward \(method) \(pattern)")
                case .auditor:
                    #expect(allowed == (!changes && !accounts), "auditor \(method) \(pattern): reads everything but accounts, changes nothing")
                case .viewer:
                    let readsStatus = (pattern == "/api/status" || pattern == "/api/peers" || pattern == "/console"
                        || pattern == "/console/federation") && !changes
                    #expect(allowed == readsStatus,
                            "viewer \(method) \(pattern)")
                }
                if case let .refused(needs, roles) = decision {
                    #expect(!roles.contains(role))
                    #expect(roles.contains(.operator))
                    let message = ManagementRoutePermissions.refusalMessage(role, method, pattern, needs: needs, roles: roles)
                    #expect(message.contains(role.rawValue) && message.contains("operator"))
                }
            }
        }
    }

    @Test func anUnlistedRouteIsOperatorOnly() {
        for role in AccountRole.allCases {
            let decision = ManagementRoutePermissions.decide(role, .post, "/api/not-yet-decided")
            #expect((decision == .allowed) == (role == .operator), "\(role)")
        }
        #expect(ManagementRoutePermissions.decide(.viewer, .head, "/api/status") == .allowed)
        #expect(ManagementRoutePermissions.decide(.viewer, .post, "/api/status") != .allowed)
    }

    @Test func roleTable() {
        #expect(AccountRole.operator.permissions == Set(ManagementPermission.allCases))
        #expect(AccountRole.viewer.permissions == [.readStatus])
        #expect(!AccountRole.auditor.may(.manageDatasets) && AccountRole.auditor.may(.exportEvidence))
        #expect(AccountRole.steward.may(.manageDatasets) && !AccountRole.steward.may(.manageAccounts))
        #expect(AccountRole.holding(.manageAccounts) == [.operator])
        #expect(AccountRole.holding(.readStatus) == [.viewer, .auditor, .steward, .operator])
        #expect(AccountRole(rawValue: "admin") == nil)
    }

    /// Python's hashlib (outside checker) derives the same PBKDF2-HMAC-SHA256 keys as SecretHash over OpenSSL.
    @Test func secretHashAgreesWithPythonHashlib() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let absence = FileManager.default.isExecutableFile(atPath: python.path) ? nil : "python3 is not installed"
        guard OutsideCheckers.mayRun("PBKDF2 against hashlib", absence: absence) else { return }
        let secret = try SecretHash.randomBytes(24, purpose: "test secret")
        let hash = try SecretHash.make(secret: secret, iterations: 5000)
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", "import hashlib,sys; print(hashlib.pbkdf2_hmac('sha256', bytes.fromhex(sys.argv[1]), "
            + "bytes.fromhex(sys.argv[2]), int(sys.argv[3]), 32).hex())",
                             Hex.encode(secret), Hex.encode(hash.salt), String(hash.iterations)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == Hex.encode(hash.key))
    }
}
