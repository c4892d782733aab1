import Foundation

/// `verbund demo`: a whole federation on loopback, narrated step by step.
enum DemoCommand {
    static var command: Command {
        Command(
            name: "demo",
            summary: "run a whole federation on loopback and narrate it",
            discussion: """
                Creates the federation "Stadtverbund" in a temporary folder, onboards Jena, Erfurt, Weimar and Herne from
                their own CSRs, starts their connectors as child processes on free loopback ports, publishes generated
                sample datasets with different usage policies and walks through catalog search, negotiation, policy
                refusals, transfers, a revocation and an offline audit. Exits 0 only if every step behaved as narrated.
                The connectors are always stopped at the end, also after a failure or Ctrl-C.
                Example: verbund demo --keep ./demo-run
                """,
            options: [.value("keep", "DIR", "Keep everything in DIR (new or empty) for inspection instead of a temporary folder.")]
        ) { arguments, console in
            _ = try arguments.expectPositionals([])
            let executable: String
            do {
                // The children run the very binary the user started, so the demo shows this build's behaviour.
                executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            } catch {
                throw CLIError.refused("cannot find the running executable through /proc/self/exe: \(error)")
            }
            try DemoRun.execute(executable: executable, keep: arguments.value("keep"), console: console, handleSignals: true)
        }
    }
}

/// One run of the demo: the workspace, the narration, the scenario and the cleanup that always happens.
enum DemoRun {
    /// Runs the scenario with `executable` as the connectors' `verbund` binary. Throws `CLIError.refused` (exit 1)
    /// when a step did not behave as narrated.
    static func execute(executable: String, keep: String?, console: any Console, handleSignals: Bool) throws(CLIError) {
        let workspace: DemoWorkspace
        do {
            workspace = try DemoWorkspace.make(keep: keep)
        } catch {
            throw .refused(error.description)
        }
        let gated = GatedConsole(console)
        let narrator = Narrator(console: gated, workspace: workspace)
        let supervisor = ConnectorSupervisor(executable: executable)
        let interrupts = handleSignals ? InterruptGuard { signal in
            gated.close()
            console.err("")
            console.err("verbund demo: interrupted (signal \(signal)); stopping the connectors")
            supervisor.stopAll(grace: .seconds(2))
            workspace.finish()
            console.err(workspace.kept ? "The files are in \(workspace.root)." : "Removed \(workspace.root).")
        } : nil
        defer { interrupts?.cancel() }

        narrator.headline("Verbund demo: the federation \"Stadtverbund\" with four cities, all on this machine (loopback only).")
        narrator.headline("Data folder: \(workspace.root)" + (workspace.kept ? "" : " (removed at the end; --keep DIR keeps it)"))
        let scenario = DemoScenario(workspace: workspace, narrator: narrator, supervisor: supervisor)
        do {
            try scenario.run()
        } catch {
            // A failed step has printed its expected-versus-seen already; anything else is recorded here.
            if narrator.failure == nil { narrator.recordOutsideStep(error) }
        }
        interrupts?.settle()
        let stillRunning = supervisor.running
        supervisor.stopAll()
        if !stillRunning.isEmpty {
            narrator.headline("")
            narrator.headline("Stopped the connectors of \(stillRunning.joined(separator: ", ")).")
        }
        narrator.summary(cleanup: workspace.kept
            ? "Everything is in \(workspace.root): federation-admin/, cities/<city>/ (connector.json, verbund.log, data/), sample-data/, downloads/, auditor/."
            : "The demo folder was removed; run `verbund demo --keep DIR` to inspect the files.")
        workspace.finish()
        if let failure = narrator.failure {
            throw .refused("the demo stopped at step \(failure.step): \(failure.mismatch.description)")
        }
    }
}
