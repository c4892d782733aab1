import Foundation

/// What the policy builder's choices mean, in plain German or English, for the preview before publishing: one sentence
/// per condition, all of which must hold at once (they become the constraints of one `use` permission,
/// `ConsolePublishForm.constraints`; docs/policies.md says where each is enforced). A pure function of the form.
package enum ConsolePolicyWords {
    package static func sentences(_ form: ConsolePublishForm, _ language: ConsoleLanguage) -> [String] {
        let de = language == .de
        var sentences: [String] = []
        let members = ConsolePublishForm.list(form.members)
        let regions = ConsolePublishForm.list(form.regions)
        let purposes = ConsolePublishForm.list(form.purposes)
        if members.isEmpty && regions.isEmpty {
            sentences.append(de ? "Jedes aktive Mitglied der Föderation darf einen Vertrag schließen."
                                : "Every active member of the federation may conclude a contract.")
        }
        if !members.isEmpty {
            let names = members.joined(separator: ", ")
            sentences.append(de ? "Nur \(members.count == 1 ? "das Mitglied" : "die Mitglieder") \(names) \(members.count == 1 ? "darf" : "dürfen") "
                + "den Datensatz sehen und nutzen."
                : "Only the member\(members.count == 1 ? "" : "s") \(names) may see and use the dataset.")
        }
        if !regions.isEmpty {
            let prefixes = regions.joined(separator: de ? " oder " : " or ")
            sentences.append(de ? "Nur Mitglieder, deren Amtlicher Gemeindeschlüssel (AGS, laut Register) mit \(prefixes) beginnt, "
                + "dürfen den Datensatz sehen und nutzen."
                : "Only members whose official municipality key (AGS, as the registry lists it) starts with \(prefixes) "
                + "may see and use the dataset.")
        }
        let from = ConsolePublishForm.day(form.validFrom).map { _ in form.validFrom }
        let until = ConsolePublishForm.day(form.validUntil).map { _ in form.validUntil }
        switch (from, until) {
        case let (from?, until?):
            sentences.append(de ? "Verträge und Übertragungen sind vom \(from) bis einschließlich \(until) (UTC) möglich."
                                : "Contracts and transfers are possible from \(from) to \(until) inclusive (UTC).")
        case let (from?, nil):
            sentences.append(de ? "Verträge und Übertragungen sind ab dem \(from) (UTC) möglich."
                                : "Contracts and transfers are possible from \(from) (UTC).")
        case let (nil, until?):
            sentences.append(de ? "Verträge und Übertragungen sind bis einschließlich \(until) (UTC) möglich."
                                : "Contracts and transfers are possible until \(until) inclusive (UTC).")
        case (nil, nil):
            sentences.append(de ? "Es gibt keine zeitliche Begrenzung." : "There is no time limit.")
        }
        if let limit = Int(form.count), limit >= 0 {
            sentences.append(de ? "Je Vertrag sind höchstens \(limit) \(limit == 1 ? "Übertragung" : "Übertragungen") erlaubt."
                                : "Each contract allows at most \(limit) transfer\(limit == 1 ? "" : "s").")
        } else {
            sentences.append(de ? "Die Zahl der Übertragungen je Vertrag ist nicht begrenzt."
                                : "The number of transfers per contract is not limited.")
        }
        if !purposes.isEmpty {
            let list = purposes.joined(separator: de ? " oder " : " or ")
            sentences.append(de ? "Der anfragende Partner muss als Zweck \(list) angeben."
                                : "The requesting peer must state the purpose \(list).")
        }
        return sentences
    }
}
