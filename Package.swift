// swift-tools-version:6.0
// Verbund: the connector of a federated inter-municipal data space.
// No package dependencies: Foundation, Glibc, Dispatch, and the system's OpenSSL 3 and SQLite 3.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Verbund",
    products: [
        .executable(name: "verbund", targets: ["verbund"]),
        .executable(name: "verbund-bench", targets: ["VerbundBench"]),
    ],
    targets: [
        // C libraries of the operating system (docs/design.md §2: patched by the distribution).
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // JSON values and RFC 8785 canonical JSON: pure, shared by the protocol core, the federation and the log.
        .target(name: "VerbundJSON", swiftSettings: strict),
        // Trust primitives: keys, certificates, CSR, CRL, CA, digests, ES256, JWS.
        .target(name: "VerbundTrust", dependencies: ["COpenSSL", "VerbundJSON"], swiftSettings: strict),
        // HTTP/1.1 message types and parser: pure, no sockets (fuzzed on its own).
        .target(name: "VerbundHTTP", swiftSettings: strict),
        // Sockets, TLS streams, HTTP server and client, limits, timeouts.
        .target(name: "VerbundTransport", dependencies: ["VerbundHTTP", "VerbundTrust", "COpenSSL"], swiftSettings: strict),
        // Pure protocol core: DSP messages, state machines, ODRL, DCAT. No socket, file or clock.
        .target(name: "VerbundDataspace", dependencies: ["VerbundJSON"], swiftSettings: strict),
        // SQLite state: negotiations, agreements, transfers, outbox, log.
        .target(name: "VerbundStore", dependencies: ["CSQLite"], swiftSettings: strict),
        // Member registry, trust decisions, admin operations.
        .target(name: "VerbundFederation", dependencies: ["VerbundJSON", "VerbundTrust"], swiftSettings: strict),
        // Merkle log, signed tree heads, evidence.
        .target(name: "VerbundAudit", dependencies: ["VerbundJSON", "VerbundTrust", "VerbundStore"], swiftSettings: strict),
        // The daemon: DSP routes, data plane, management API, outbox dispatcher, federation sync.
        .target(
            name: "VerbundConnector",
            dependencies: ["VerbundJSON", "VerbundDataspace", "VerbundFederation", "VerbundStore", "VerbundAudit", "VerbundTransport"],
            swiftSettings: strict),
        // Subcommands of the `verbund` executable, testable in-process.
        .target(name: "VerbundCLI", dependencies: ["VerbundConnector"], swiftSettings: strict),
        .executableTarget(name: "verbund", dependencies: ["VerbundCLI"], swiftSettings: strict),
        .executableTarget(name: "VerbundBench", dependencies: ["VerbundTransport", "VerbundCLI"], swiftSettings: strict),

        // What several test targets share: the switch for checkers outside the repository (DSP schemas, joserfc).
        .target(name: "VerbundTestSupport", path: "Tests/VerbundTestSupport", swiftSettings: strict),
        .testTarget(name: "VerbundJSONTests", dependencies: ["VerbundJSON"], swiftSettings: strict),
        .testTarget(name: "VerbundTrustTests", dependencies: ["VerbundTrust"], swiftSettings: strict),
        .testTarget(name: "VerbundHTTPTests", dependencies: ["VerbundHTTP"], swiftSettings: strict),
        .testTarget(name: "VerbundTransportTests", dependencies: ["VerbundTransport", "VerbundTestSupport"], swiftSettings: strict),
        .testTarget(name: "VerbundDataspaceTests", dependencies: ["VerbundDataspace", "VerbundTestSupport"], swiftSettings: strict),
        .testTarget(name: "VerbundStoreTests", dependencies: ["VerbundStore", "VerbundTestSupport"], swiftSettings: strict),
        .testTarget(name: "VerbundFederationTests", dependencies: ["VerbundFederation"], swiftSettings: strict),
        .testTarget(name: "VerbundAuditTests", dependencies: ["VerbundAudit"], swiftSettings: strict),
        .testTarget(name: "VerbundConnectorTests", dependencies: ["VerbundConnector", "VerbundCLI", "VerbundTestSupport"], swiftSettings: strict),
        .testTarget(name: "VerbundCLITests", dependencies: ["VerbundCLI", "VerbundTestSupport"], swiftSettings: strict),
    ]
)
