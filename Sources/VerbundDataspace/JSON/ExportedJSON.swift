@_exported import VerbundJSON
