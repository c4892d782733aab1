/// One of the demo's partner cities, with its official municipality key (Amtlicher Gemeindeschlüssel).
struct DemoCity: Sendable, Hashable {
    /// The member id, also the last part of the participant id.
    let id: String
    let name: String
    /// The AGS: the first two digits are the federal state (16 Thüringen, 05 Nordrhein-Westfalen).
    let ags: String

    static let jena = DemoCity(id: "jena", name: "Stadt Jena", ags: "16053000")
    static let erfurt = DemoCity(id: "erfurt", name: "Landeshauptstadt Erfurt", ags: "16051000")
    static let weimar = DemoCity(id: "weimar", name: "Stadt Weimar", ags: "16055000")
    static let herne = DemoCity(id: "herne", name: "Stadt Herne", ags: "05916000")

    static let all: [DemoCity] = [jena, erfurt, weimar, herne]
}
