/// The documented exit codes of `lessons run` and `lessons check`.
public enum ExitStatus {
    /// Every chapter ran and every check passed.
    public static let passed: Int32 = 0
    /// Every chapter ran, and a check failed (or nothing was judged, unless that was asked for).
    public static let checkFailed: Int32 = 1
    /// A chapter could not be loaded, compiled or run to the end, or its Expected file is bad.
    public static let chapterError: Int32 = 2
    /// Bad command-line usage (ArgumentParser's validation exit code, EX_USAGE).
    public static let usage: Int32 = 64
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
    public static let interrupted: Int32 = 130
}
