import Foundation

/// The language of the public page: `?lang=de|en` first, then the best of German and English in `Accept-Language`
/// (RFC 9110 §12.5.4; weights, primary subtag), German when neither says anything usable.
package enum TransparencyLanguage: String, Sendable, CaseIterable {
    case german = "de"
    case english = "en"

    package static func choose(query: String?, acceptLanguage: String?) -> TransparencyLanguage {
        if let query, let chosen = TransparencyLanguage(rawValue: query.lowercased()) { return chosen }
        guard let acceptLanguage else { return .german }
        var best: (language: TransparencyLanguage, weight: Double)?
        for element in acceptLanguage.split(separator: ",").prefix(32) {
            let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let range = parts.first, let primary = range.split(separator: "-").first,
                  let language = TransparencyLanguage(rawValue: String(primary)) else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)).flatMap { (0...1).contains($0) ? $0 : nil } ?? 0
            }
            if weight > 0, weight > (best?.weight ?? 0) { best = (language, weight) }
        }
        return best?.language ?? .german
    }
}
