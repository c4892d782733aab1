/// The `verbund` command tree. Each group lives in its own file and adds itself here.
package enum VerbundCommandLine {
    package static var root: CommandGroup {
        CommandGroup(
            name: "verbund",
            summary: "connector of a federated inter-municipal data space",
            children: [
                .command(ServeCommand.command), .command(StatusCommand.command), .command(PeersCommand.command), .command(DemoCommand.command),
                .group(FederationCommands.group), .group(MemberCommands.group),
                .group(CatalogCommands.datasets), .command(CatalogCommands.catalog),
                .command(NegotiationCommands.negotiate), .group(NegotiationListCommands.group),
                .group(NegotiationCommands.contracts),
                .command(TransferCommands.fetch), .command(APIGetCommand.command), .group(TransferCommands.group),
                .group(AuditCommands.group), .group(AccountCommands.group), .command(VersionCommand.command),
            ])
    }

    /// Entry point of the executable: runs `arguments` (without the program name).
    package static func main(_ arguments: [String], console: any Console = StandardConsole()) -> Int32 {
        CommandRunner(root: root).run(arguments, console: console)
    }
}
