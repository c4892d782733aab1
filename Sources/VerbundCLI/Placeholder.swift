public enum VerbundCLIPlaceholder {}
