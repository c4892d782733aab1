import Foundation
import VerbundConnector
import VerbundStore

/// `verbund accounts add|list|remove|reset`: the management accounts in the connector's state database (issue 12,
/// docs/console.md "Accounts"). Works offline on the data directory named by connector.json, whether the daemon runs
/// or not; the daemon sees a change on the next request. A new secret is printed once and stored only as a PBKDF2 hash.
enum AccountCommands {
    static var group: CommandGroup {
        CommandGroup(name: "accounts", summary: "management accounts and their roles (operator, steward, auditor, viewer)", children: [
            .command(add), .command(list), .command(remove), .command(reset),
        ])
    }

    static let configOption = OptionSpec.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG).")
    static let roles = AccountRole.allCases.map(\.rawValue).joined(separator: ", ")

    /// What `add` and `reset` print: the account and its new secret, once.
    struct Issued: Codable, Equatable {
        let account: Account
        let secret: String
    }

    static var add: Command {
        Command(
            name: "add", summary: "create an account with a role and print its secret once", arguments: "NAME",
            discussion: """
                NAME has 1-64 characters a-z, 0-9, '.', '_', '-'. Roles: operator (everything), steward (datasets,
                catalog, negotiations, transfers), auditor (read everything, export evidence and logs, change nothing),
                viewer (status only). The secret (48 hex digits) is printed once and stored only as a PBKDF2 hash; give
                it to the account's holder on a safe path. Use it as curl -u NAME:SECRET (HTTP Basic) on the management API.
                Example: verbund accounts add kaemmerei.meier --role steward --config ./jena/connector.json
                """,
            options: [configOption, .value("role", "ROLE", "The account's role: \(roles)."),
                      .flag("json", "Print {\"account\": {\"name\", \"role\"}, \"secret\"} as JSON.")]
        ) { arguments, console in
            let name = try arguments.expectPositionals(["NAME"])[0]
            let text = try arguments.required("role")
            guard let role = AccountRole(rawValue: text) else {
                throw CLIError.usage("--role must be one of \(roles), not '\(TerminalText.shown(text))'")
            }
            let (store, database) = try open(arguments.value("config"))
            defer { database.close() }
            let secret = try refusing { try AccountStore.generateSecret() }
            let account = try refusing { try store.add(name, role: role, secret: secret, now: Date()) }
            show(Issued(account: account, secret: secret), verb: "created", arguments: arguments, console: console)
        }
    }

    static var list: Command {
        Command(
            name: "list", summary: "list the accounts and their roles (never their secrets)",
            discussion: "The operator token file (management.token) acts as an operator besides these.\nExample: verbund accounts list --config ./jena/connector.json",
            options: [configOption, .flag("json", "Print {\"accounts\": [{\"name\", \"role\"}]} as JSON.")]
        ) { arguments, console in
            _ = try arguments.expectPositionals([])
            let (store, database) = try open(arguments.value("config"))
            defer { database.close() }
            let accounts = try refusing { try store.list() }
            if arguments.flag("json") {
                console.out(NegotiationCommands.json(["accounts": accounts]))
                return
            }
            guard !accounts.isEmpty else {
                console.out("no accounts yet; the operator token file acts as operator. Add one: verbund accounts add NAME --role ROLE")
                return
            }
            for line in TextTable.render(header: ["NAME", "ROLE"], rows: accounts.map { [TerminalText.shown($0.name), $0.role.rawValue] }) {
                console.out(line)
            }
        }
    }

    static var remove: Command {
        Command(
            name: "remove", summary: "delete an account; its secret stops working with the next request", arguments: "NAME",
            discussion: "Example: verbund accounts remove kaemmerei.meier --config ./jena/connector.json",
            options: [configOption, .flag("json", "Print {\"removed\": NAME} as JSON.")]
        ) { arguments, console in
            let name = try arguments.expectPositionals(["NAME"])[0]
            let (store, database) = try open(arguments.value("config"))
            defer { database.close() }
            try refusing { try store.remove(name) }
            console.out(arguments.flag("json") ? NegotiationCommands.json(["removed": name])
                                               : "removed account \(TerminalText.shown(name))")
        }
    }

    static var reset: Command {
        Command(
            name: "reset", summary: "give an account a new secret and print it once; the old one stops working", arguments: "NAME",
            discussion: "Example: verbund accounts reset kaemmerei.meier --config ./jena/connector.json",
            options: [configOption, .flag("json", "Print {\"account\": {\"name\", \"role\"}, \"secret\"} as JSON.")]
        ) { arguments, console in
            let name = try arguments.expectPositionals(["NAME"])[0]
            let (store, database) = try open(arguments.value("config"))
            defer { database.close() }
            let secret = try refusing { try AccountStore.generateSecret() }
            try refusing { try store.reset(name, secret: secret, now: Date()) }
            guard let account = try refusing({ try store.list() }).first(where: { $0.name == name }) else {
                throw CLIError.refused("the account '\(TerminalText.shown(name))' disappeared while its secret was reset")
            }
            show(Issued(account: account, secret: secret), verb: "has a new secret", arguments: arguments, console: console)
        }
    }

    private static func show(_ issued: Issued, verb: String, arguments: ParsedArguments, console: any Console) {
        if arguments.flag("json") {
            console.out(NegotiationCommands.json(issued))
            return
        }
        console.out("account \(TerminalText.shown(issued.account.name)) (\(issued.account.role.rawValue)) \(verb)")
        console.out("secret  \(issued.secret)")
        console.out("This secret is shown only now and stored only as a hash: hand it over on a safe path.")
        console.out("Use it: curl -u \(TerminalText.shown(issued.account.name)):SECRET http://HOST:PORT/api/status")
    }

    /// The state database of the connector `path` names, migrated as `verbund serve` would (created when absent).
    private static func open(_ path: String?) throws -> (AccountStore, Database) {
        let configuration = try ManagementClient.configuration(path)
        let file = configuration.dataDirectory + "/" + Connector.databaseFileName
        var info = stat()
        if stat(configuration.dataDirectory, &info) == 0,
           let problem = ownerProblem(directory: configuration.dataDirectory, owner: info.st_uid, caller: geteuid()) {
            throw CLIError.refused(problem)
        }
        do {
            try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let database = try Database(path: file)
            do {
                _ = try ConnectorSchema.migrate(database, modules: [CoreModule()] + ConnectorModules.all(limits: configuration.effectiveLimits),
                                                now: Date())
            } catch {
                database.close()
                throw error
            }
            return (AccountStore(database: database), database)
        } catch {
            throw CLIError.refused("cannot open the state database \(file): \(error)")
        }
    }

    /// Why the caller must not write the state database in `directory`, owned by `owner`: files SQLite creates beside
    /// it (`-wal`, `-shm`) would belong to the caller, and the daemon's user could no longer open the database.
    static func ownerProblem(directory: String, owner: uid_t, caller: uid_t) -> String? {
        guard owner != caller else { return nil }
        let name = getpwuid(owner).map { String(cString: $0.pointee.pw_name) } ?? "uid \(owner)"
        return "\(directory) belongs to \(name), not to you; run the command as that user "
            + "(e.g. sudo -u \(name) verbund accounts ...) so the state database stays the daemon's"
    }

    /// Runs `work`, turning an account or store error into a refusal (exit 1) with its reason.
    @discardableResult
    private static func refusing<T>(_ work: () throws -> T) throws(CLIError) -> T {
        do {
            return try work()
        } catch let error as CLIError {
            throw error
        } catch {
            throw .refused(String(describing: error))
        }
    }
}
