import Engine  // sha1Hex
import Foundation

/// The Build stage's output: an executable chapter program, ready to run.
public struct CompiledProgram: Equatable, Sendable {
    /// `<root>/.lessons/build/<key>/program`.
    public var executable: URL
    /// `ProgramBuilder.key(for:)` of its source: the one key a stored result is tied to.
    public var key: String
    /// Seconds spent compiling; 0 when a cached program was reused.
    public var compileSeconds: Double
    public var tangled: TangledProgram
}

/// The Build stage: compiles a tangled program with `swiftc` against the Engine build, caching
/// the result in `<root>/.lessons/build/<key>/` so an unchanged chapter starts immediately.
///
/// Concurrent `lessons` processes are safe: each compiles into its own temporary folder and
/// renames it into place in one step; whoever comes second keeps the first one's.
public struct ProgramBuilder: Sendable {
    public var root: URL
    public var toolchain: Toolchain

    public init(root: URL, toolchain: Toolchain) {
        self.root = root.standardizedFileURL; self.toolchain = toolchain
    }

    public var cacheDirectory: URL { root.appendingPathComponent(".lessons/build", isDirectory: true) }

    /// -Onone: Engine is always optimized and chapter code mostly calls into it. -g: a crash
    /// backtrace names the `.md` line. -wmo: one frontend job, no separate emit-module job
    /// repeating the errors. llvm style: `Chapters/x.md:LINE:COL: error:` plus the offending
    /// line, instead of an excerpt of the generated file.
    var flags: [String] {
        ["-Onone", "-g", "-wmo", "-diagnostic-style", "llvm", "-swift-version", "5",
         "-suppress-warnings", "-module-name", "ChapterProgram"] + toolchain.engine.compilerFlags()
    }

    /// The program's key: SHA-1 of its source, the compiler's version, the flags and the
    /// Engine build's fingerprint. Pure: it tells whether a stored result is still current
    /// without compiling anything.
    public func key(for tangled: TangledProgram) -> String {
        let material = "lessons-program-3\n\(toolchain.version)\n\(flags.joined(separator: " "))\n"
            + "\(toolchain.engineFingerprint)\n\(tangled.source)\n"
        return sha1Hex(Data(material.utf8))
    }

    /// Compiles (or reuses) the program. Throws `ChapterFailure`: `.compile` with swiftc's
    /// diagnostics (which point at the `.md` lines), the cell and the line of the first error;
    /// `.interrupted`; `.internalError` when the compiler cannot be run.
    public func compile(_ tangled: TangledProgram, chapter: Chapter) throws -> CompiledProgram {
        let key = key(for: tangled)
        let folder = cacheDirectory.appendingPathComponent(key, isDirectory: true)
        let executable = folder.appendingPathComponent("program")
        if FileManager.default.isExecutableFile(atPath: executable.path) {
            return CompiledProgram(executable: executable, key: key, compileSeconds: 0, tangled: tangled)
        }

        AbandonedFolders.sweep(in: cacheDirectory, prefix: ".tmp-")
        let temporary = cacheDirectory.appendingPathComponent(AbandonedFolders.name(".tmp-"), isDirectory: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let main = temporary.appendingPathComponent("main.swift")
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            try Data(tangled.source.utf8).write(to: main)
        } catch {
            throw ChapterFailure(kind: .internalError, message: "cannot write \(main.path): \(error.localizedDescription)")
        }
        let moduleCache = root.appendingPathComponent(".lessons/module-cache").path
        let arguments = flags + ["-module-cache-path", moduleCache, main.path]
            + toolchain.engine.objectFiles().map(\.path) + ["-o", temporary.appendingPathComponent("program").path]

        let started = DispatchTime.now().uptimeNanoseconds
        let (status, output) = try runTool(toolchain.swiftc, arguments, in: root)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard status == 0 else {
            let line = Self.firstErrorLine(in: output, path: tangled.markdownPath)
            throw ChapterFailure(kind: .compile, cell: line.flatMap { Self.cell(at: $0, in: chapter) },
                                 file: tangled.markdownPath, line: line,
                                 message: output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // Atomic publish: rename fails if another process already put the same key there.
        if rename(temporary.path, folder.path) != 0,
           !FileManager.default.isExecutableFile(atPath: executable.path) {
            throw ChapterFailure(kind: .internalError,
                                 message: "cannot move the compiled program to \(folder.path): \(String(cString: strerror(errno)))")
        }
        return CompiledProgram(executable: executable, key: key, compileSeconds: seconds, tangled: tangled)
    }

    /// The `.md` line of the first `path:LINE:COL: error:` in the compiler's output.
    static func firstErrorLine(in output: String, path: String) -> Int? {
        for line in output.split(separator: "\n") where line.hasPrefix(path + ":") && line.contains(": error:") {
            if let number = Int(line.dropFirst(path.count + 1).prefix { $0.isNumber }) { return number }
        }
        return nil
    }

    /// The runnable cell holding `.md` line `line`.
    static func cell(at line: Int, in chapter: Chapter) -> String? {
        chapter.runnableCells.last { $0.line <= line && line <= $0.line + lineCount($0.code) }?.id
    }

    private static func lineCount(_ code: String) -> Int { code.split(separator: "\n", omittingEmptySubsequences: false).count }
}
