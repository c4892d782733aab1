/// The version of the SQLite schema this build writes; migrations bring older databases up to it.
public enum StoreSchemaVersion {
    public static var current: Int { StoreSchema.currentVersion }
}
