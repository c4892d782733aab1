/// The public page's words in German and English.
enum TransparencyText {
    enum Key {
        case title, skip, languageSwitch, languageName, intro, datasets, datasetsCaption, noDatasets, dataset, terms
        case license, published, contracts, contractsCaption, noContracts, partner, purpose, since, contractCount
        case transfers, treeHead, treeHeadIntro, logSize, rootHash, signedAt, signature, noTreeHead, machineReadable
        case json, dcat, termsLanguageNote, noPurpose, generated, navigationLanguage
    }

    static func text(_ key: Key, _ language: TransparencyLanguage) -> String {
        let (de, en) = pair(key)
        return language == .german ? de : en
    }

    private static func pair(_ key: Key) -> (String, String) {
        switch key {
        case .title: return ("Transparenz: welche Daten %@ teilt", "Transparency: which data %@ shares")
        case .skip: return ("Zum Inhalt springen", "Skip to content")
        case .languageSwitch: return ("English", "Deutsch")
        case .languageName: return ("en", "de")
        case .navigationLanguage: return ("Sprache", "Language")
        case .intro:
            return ("Diese Seite zeigt, welche Datensätze %@ im Datenverbund mit anderen Kommunen teilt, unter welchen "
                    + "Bedingungen, welche Kommunen dafür Verträge haben, zu welchem Zweck und wie oft Daten übertragen "
                    + "wurden. Aufgeführt sind nur Datensätze, die die Stadt zur Veröffentlichung freigegeben hat.",
                    "This page shows which datasets %@ shares with other municipalities in the data federation, under which "
                    + "terms, which municipalities hold contracts for them, for what purpose and how often data was "
                    + "transferred. Only datasets the city chose to list publicly appear here.")
        case .datasets: return ("Geteilte Datensätze", "Shared datasets")
        case .datasetsCaption: return ("Datensätze mit ihren Nutzungsbedingungen", "Datasets with their terms of use")
        case .noDatasets: return ("Derzeit sind keine Datensätze öffentlich aufgeführt.", "No datasets are listed publicly at the moment.")
        case .dataset: return ("Datensatz", "Dataset")
        case .terms: return ("Bedingungen", "Terms")
        case .termsLanguageNote: return ("Die Bedingungen sind auf Englisch angegeben, wie sie im Vertrag stehen.",
                                         "The terms are given as they are stated in the contract.")
        case .license: return ("Lizenz", "Licence")
        case .published: return ("Veröffentlicht", "Published")
        case .contracts: return ("Verträge mit anderen Kommunen", "Contracts with other municipalities")
        case .contractsCaption: return ("Verträge je Datensatz und Partner, zusammengefasst",
                                        "Contracts per dataset and partner, aggregated")
        case .noContracts: return ("Für die aufgeführten Datensätze bestehen keine Verträge.",
                                   "There are no contracts for the listed datasets.")
        case .partner: return ("Partner", "Partner")
        case .purpose: return ("Zweck", "Purpose")
        case .since: return ("Seit", "Since")
        case .contractCount: return ("Verträge", "Contracts")
        case .transfers: return ("Übertragungen", "Transfers")
        case .noPurpose: return ("nicht angegeben", "not stated")
        case .treeHead: return ("Prüfbares Protokoll", "Verifiable log")
        case .treeHeadIntro:
            return ("Jede Vereinbarung und Übertragung wird in einem fälschungssicheren Protokoll (Merkle-Baum) vermerkt. "
                    + "Der signierte Baumkopf belegt dessen aktuellen Stand; Partner prüfen, dass er nur wächst.",
                    "Every agreement and transfer is recorded in a tamper-evident log (a Merkle tree). The signed tree "
                    + "head attests its current state; partners check that it only grows.")
        case .logSize: return ("Einträge im Protokoll", "Entries in the log")
        case .rootHash: return ("Wurzel-Hash (SHA-256)", "Root hash (SHA-256)")
        case .signedAt: return ("Signiert am", "Signed at")
        case .signature: return ("Signierter Baumkopf (JWS)", "Signed tree head (JWS)")
        case .noTreeHead: return ("Noch kein signierter Baumkopf.", "No signed tree head yet.")
        case .machineReadable: return ("Maschinenlesbar", "Machine-readable")
        case .json: return ("Diese Angaben als JSON", "This information as JSON")
        case .dcat: return ("Datenkatalog (DCAT-AP.de) für Open-Data-Portale", "Data catalogue (DCAT-AP.de) for open-data portals")
        case .generated: return ("Stand", "As of")
        }
    }
}
