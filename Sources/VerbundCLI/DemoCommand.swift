/// `verbund demo`: a whole federation on loopback.
enum DemoCommand {
    static var command: Command {
        Command(
            name: "demo",
            summary: "run a whole federation on loopback and narrate it",
            discussion: "Creates a federation in a temporary folder, onboards cities, starts their connectors on loopback and walks through what Verbund does.",
            options: [.value("keep", "DIR", "Keep everything in DIR for inspection instead of a temporary folder.")]
        ) { _, console in
            console.out("Verbund demo")
        }
    }
}
