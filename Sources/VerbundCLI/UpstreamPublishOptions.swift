import Foundation
import VerbundConnector

/// The `verbund datasets publish` options of an API dataset (docs/operator.md, "Datasets backed by an API").
enum UpstreamPublishOptions {
    static let options: [OptionSpec] = [
        .value("upstream", "URL", "Publish an API instead of a file: the upstream base, https://host[:port]/path."),
        .repeatable("allow-path", "PREFIX", "A path prefix below the base that may be requested (/ for all); repeat."),
        .repeatable("allow-query", "NAME", "A query parameter name that may be sent; repeat (default: none)."),
        .repeatable("allow-method", "METHOD", "GET or HEAD; repeat (default: both)."),
        .value("max-response-bytes", "N", "Largest upstream answer forwarded (default 67108864 = 64 MiB)."),
        .value("timeout", "SECONDS", "Whole exchange with the upstream (default 30)."),
        .value("credential-file", "PATH", "A file (mode 0600) with the upstream credential; read at each request."),
        .value("credential-kind", "KIND", "bearer (the file holds a token, default) or basic (user:password)."),
        .value("ca-file", "PEM", "CA certificates for the upstream's TLS (default: the system trust store)."),
        .value("upstream-client-cert", "PEM", "Client certificate for an upstream that requires mutual TLS."),
        .value("upstream-client-key", "PEM", "Its private key (mode 0600); never stored in the catalog or logged."),
    ]

    /// The declaration from the arguments; nil without `--upstream` (then no other upstream option may be given).
    static func upstream(_ arguments: ParsedArguments) throws -> DatasetUpstream? {
        let singles = ["max-response-bytes", "timeout", "credential-file", "credential-kind", "ca-file",
                       "upstream-client-cert", "upstream-client-key"]
        let repeated = ["allow-path", "allow-query", "allow-method"]
        guard let base = arguments.value("upstream") else {
            if let stray = singles.first(where: { arguments.value($0) != nil })
                ?? repeated.first(where: { !arguments.values($0).isEmpty }) {
                throw CLIError.usage("--\(stray) belongs to an API dataset; add --upstream URL (or leave it out)")
            }
            return nil
        }
        var upstream = DatasetUpstream(base: base, pathPrefixes: arguments.values("allow-path"),
                                       queryParameters: arguments.values("allow-query"))
        let methods = arguments.values("allow-method").map { $0.uppercased() }
        if !methods.isEmpty { upstream.methods = methods }
        if let text = arguments.value("max-response-bytes") {
            guard let bytes = Int64(text), bytes > 0 else {
                throw CLIError.usage("--max-response-bytes \(TerminalText.shown(text)) is not a whole number of bytes")
            }
            upstream.maxResponseBytes = bytes
        }
        if let text = arguments.value("timeout") {
            guard let seconds = Int(text), seconds > 0 else {
                throw CLIError.usage("--timeout \(TerminalText.shown(text)) is not a whole number of seconds")
            }
            upstream.timeoutSeconds = seconds
        }
        if let file = arguments.value("credential-file") {
            upstream.credentialFile = MemberCommands.absolute(file)
            let kind = arguments.value("credential-kind") ?? "bearer"
            guard let parsed = DatasetUpstream.CredentialKind(rawValue: kind) else {
                throw CLIError.usage("--credential-kind \(TerminalText.shown(kind)) is not bearer or basic")
            }
            upstream.credentialKind = parsed
        } else if arguments.value("credential-kind") != nil {
            throw CLIError.usage("--credential-kind needs --credential-file PATH")
        }
        upstream.caFile = arguments.value("ca-file").map(MemberCommands.absolute)
        upstream.clientCertificateFile = arguments.value("upstream-client-cert").map(MemberCommands.absolute)
        upstream.clientKeyFile = arguments.value("upstream-client-key").map(MemberCommands.absolute)
        return upstream
    }
}
