/// A sample dataset of the demo: who publishes it, its catalog metadata, its usage policy and how its file is made.
struct DemoDataset: Sendable {
    let id: String
    let owner: DemoCity
    let title: String
    let description: String
    let keywords: [String]
    /// The usage policy in words, for the narration.
    let policyInWords: String
    /// The ODRL policy file (DSP compact form), or nil for the default "use, members only".
    let policy: String?
    let generate: @Sendable (String) throws -> (path: String, bytes: Int)

    static let sampleNote = "Beispieldaten aus verbund demo, keine echten Messwerte. "

    static let parking = DemoDataset(
        id: "jena-parkhaus-belegung", owner: .jena, title: "Parkhausbelegung Jena (Beispieldaten)",
        description: sampleNote + "Belegung der Parkhäuser und Parkplätze, alle 15 Minuten, 21 Tage.",
        keywords: ["Verkehr", "Parken"], policyInWords: "members only (no constraint)", policy: nil,
        generate: SampleData.parking)

    static let chargingPoints = DemoDataset(
        id: "jena-ladepunkte", owner: .jena, title: "Ladepunkte Jena (Beispieldaten)",
        description: sampleNote + "Belegung öffentlicher Ladepunkte, alle 30 Minuten, 14 Tage.",
        keywords: ["Verkehr", "Elektromobilität"], policyInWords: "valid until 2027-12-31",
        policy: #"{"permission":[{"action":"use","constraint":[{"leftOperand":"dateTime","operator":"lt","rightOperand":"2028-01-01T00:00:00Z"}]}]}"#,
        generate: SampleData.chargingPoints)

    static let airQuality = DemoDataset(
        id: "erfurt-luftqualitaet", owner: .erfurt, title: "Luftqualität Erfurt (Beispieldaten)",
        description: sampleNote + "Stündliche NO2-, PM10- und PM2.5-Werte an drei Messstationen, 30 Tage.",
        keywords: ["Umwelt", "Luftqualität"], policyInWords: "Thüringen only (AGS prefix 16)",
        policy: #"{"permission":[{"action":"use","constraint":[{"leftOperand":"https://w3id.org/verbund/odrl/region","operator":"isPartOf","rightOperand":"16"}]}]}"#,
        generate: SampleData.airQuality)

    static let bikeCounters = DemoDataset(
        id: "weimar-radzaehlung", owner: .weimar, title: "Radzählstellen Weimar (Beispieldaten)",
        description: sampleNote + "Stündliche Zählungen an vier Radzählstellen, 30 Tage.",
        keywords: ["Verkehr", "Radverkehr"], policyInWords: "at most 3 transfers per contract",
        policy: #"{"permission":[{"action":"use","constraint":[{"leftOperand":"count","operator":"lteq","rightOperand":3}]}]}"#,
        generate: SampleData.bikeCounters)

    static let all: [DemoDataset] = [parking, chargingPoints, airQuality, bikeCounters]

    /// Jena's car-park occupancy is also open data (docs/operator.md, "Open data"): anyone may download it from Jena's
    /// public listener without a contract; members may still agree to its offer. The further `verbund datasets
    /// publish` arguments it gets: `--open` and the metadata a portal shows for it.
    static let openData: [String: [String]] = [
        parking.id: ["--open", "--theme", "http://publications.europa.eu/resource/authority/data-theme/TRAN",
                     "--contact-name", "Fachdienst Mobilität", "--contact-email", "mobilitaet@jena.example",
                     "--maintainer", "Stadt Jena, Fachdienst Mobilität", "--availability", "STABLE"],
    ]
}
