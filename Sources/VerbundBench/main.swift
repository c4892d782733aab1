import Foundation

/// verbund-bench: measurements on this machine (docs/performance.md). Exit status 0 on success,
/// 1 when a run failed, 2 on a usage error.
let usage = """
    usage: verbund-bench transport [--seconds N] [--connections C] [--file-mib M] [--bulk-runs R]
                                   [--markdown FILE] [--openssl PATH] [--workdir DIR] [--sparse] [--crl]

      transport   mTLS handshakes per second (C parallel client threads for N seconds, each
                  connect → full TLS 1.3 handshake → one small GET → close) and bulk throughput of an
                  M MiB file over one connection, for Verbund's HTTP server and for `openssl s_server
                  -WWW`, driven by the same client; plus each server's peak RSS (VmHWM).
                  Defaults: N=10, C=2 per core, M=1024, R=5. --sparse uses a sparse file instead of
                  random bytes; --crl makes both servers and the client check a CRL.
    verbund-bench negotiation [--consumers N] [--connectors K] [--seconds S]   (see docs/performance.md)

    usage: verbund-bench catalog [--datasets N] [--walks W] [--crawls C] [--markdown FILE]

      catalog     N datasets (default 10000) published straight into a provider connector's store; a
                  consumer connector pages through the DSP catalog over mTLS W times (50 per page,
                  Link rel="next") and crawls it whole into its federated catalog C times.

    usage: verbund-bench audit [--appends N] [--entries E] [--verifications V] [--workdir DIR]

      audit       log appends per second with a signed tree head after every batch (batch sizes
                  1, 10, 100), and export and offline verification time of an evidence bundle cut
                  from a connector's log of E entries. Defaults: N=5000, E=100000, V=20.

    \(FederationBenchmark.usage)

    """

func exitStatus(for error: any Error) -> Int32 {
    if case BenchError.usage = error { return 2 }
    return 1
}

let arguments = CommandLine.arguments.dropFirst()
do {
    switch arguments.first {
    case "transport":
        let signalSources = ChildRegistry.shared.cleanUpOnSignals()
        try withExtendedLifetime(signalSources) { try TransportCommand(arguments: arguments.dropFirst()).run() }
    case "catalog":
        try CatalogBenchmark(arguments: arguments.dropFirst()).run()
    case "negotiation": exit(NegotiationBenchmark.main(Array(arguments.dropFirst())))
    case "federation":
        let signalSources = ChildRegistry.shared.cleanUpOnSignals()
        try withExtendedLifetime(signalSources) { try FederationBenchmark(arguments: arguments.dropFirst()).run() }
    case "audit":
        try AuditBenchmark(arguments: arguments.dropFirst()).run()
    case "serve-tls":
        // Hidden: the child process started by `transport`.
        try ServeTLSCommand(arguments: arguments.dropFirst()).run()
    case "--help", "-h", "help":
        FileHandle.standardOutput.write(Data(usage.utf8))
    case nil:
        FileHandle.standardError.write(Data(usage.utf8))
        exit(2)
    case let other?:
        throw BenchError.usage("unknown subcommand '\(other)'")
    }
} catch {
    FileHandle.standardError.write(Data("verbund-bench: \(error)\n".utf8))
    exit(exitStatus(for: error))
}
