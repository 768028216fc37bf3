import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to decorate text for one output stream. Colour only reaches a terminal, and never when
/// `NO_COLOR` is set (https://no-color.org): escape codes in a log file or a pipe are noise.
public struct TerminalStyle: Equatable, Sendable {
    public var colour: Bool

    public init(colour: Bool) { self.colour = colour }

    public static let plain = TerminalStyle(colour: false)

    /// The style for a stream that is or is not a terminal, in this environment.
    public static func detect(isTerminal: Bool,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return TerminalStyle(colour: isTerminal && !noColour && !dumb)
    }

    /// The style for a file descriptor (1 for stdout, 2 for stderr) in this environment.
    public static func detect(fileDescriptor: Int32,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        detect(isTerminal: Notebook.isTerminal(fileDescriptor), environment: environment)
    }

    public func green(_ text: String) -> String { paint(text, "32") }
    public func red(_ text: String) -> String { paint(text, "31") }
    public func yellow(_ text: String) -> String { paint(text, "33") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func bold(_ text: String) -> String { paint(text, "1") }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Whether the descriptor is a terminal (not a pipe or a file).
public func isTerminal(_ fileDescriptor: Int32) -> Bool {
    isatty(fileDescriptor) == 1
}
