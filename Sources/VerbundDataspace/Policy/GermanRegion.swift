/// Names of the German states by the first two digits of the AGS (Amtlicher Gemeindeschlüssel), so that
/// region decisions read "16 (Thüringen)" rather than a bare number.
enum GermanRegion {
    static let states: [String: String] = [
        "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
        "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg",
        "09": "Bayern", "10": "Saarland", "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern",
        "14": "Sachsen", "15": "Sachsen-Anhalt", "16": "Thüringen",
    ]

    /// "16 (Thüringen)", "16051 (in Thüringen)", or the prefix alone when the state is unknown.
    static func label(_ prefix: String) -> String {
        guard prefix.count >= 2, let state = states[String(prefix.prefix(2))] else { return prefix }
        return prefix.count == 2 ? "\(prefix) (\(state))" : "\(prefix) (in \(state))"
    }

    static func labels(_ prefixes: [String]) -> String {
        (prefixes.count == 1 ? "region " : "regions ") + prefixes.map(label).joined(separator: ", ")
    }

    /// An AGS prefix: 1 to 8 digits.
    static func isPrefix(_ text: String) -> Bool {
        (1...8).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
