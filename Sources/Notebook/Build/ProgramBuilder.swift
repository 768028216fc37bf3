import Engine
import Foundation

/// Stage 3's output: an executable chapter program, ready to run.
public struct CompiledProgram: Equatable, Sendable {
    /// `<root>/.lessons/build/<key>/program`.
    public var executable: URL
    /// SHA-1 of everything the program is made of (source, Engine, compiler, flags).
    public var key: String
    /// Seconds spent compiling; 0 when a cached program was reused.
    public var compileSeconds: Double
    public var tangled: TangledProgram
}

/// Stage 3: compiles a tangled program with `swiftc` against an Engine build, caching the
/// result in `<root>/.lessons/build/<key>/` so an unchanged chapter starts immediately.
///
/// Concurrent `lessons` processes are safe: each compiles into its own temporary folder
/// and renames it into place in one step; whoever comes second keeps the first one's.
public struct ProgramBuilder: Sendable {
    public var root: URL
    public var engine: EngineBuild
    /// `-O` instead of `-Onone`. Off by default: Engine is always optimized and chapter code
    /// mostly calls into it. Measured on a small chapter: -O adds ~1.8 s of compiling and
    /// makes plain-Swift loops ~4× faster; worth it only for chapters with heavy loops of
    /// their own.
    public var optimize: Bool

    public init(root: URL, engine: EngineBuild, optimize: Bool = false) {
        self.root = root.standardizedFileURL; self.engine = engine; self.optimize = optimize
    }

    public var cacheDirectory: URL { root.appendingPathComponent(".lessons/build", isDirectory: true) }

    /// The cache key `compile` would use, without compiling (e.g. to tell whether a cached
    /// result is still current).
    public func key(for tangled: TangledProgram) throws -> String { try plan(tangled).key }

    /// `swiftc --version` of the compiler chapters are built with.
    public static func toolchainVersion() throws -> String { try version(of: swiftc()) }

    /// Compiles (or reuses) the program. Throws `RunFailure`: `.compile` with swiftc's
    /// diagnostics (which point at the `.md` lines) and the cell they are in, or
    /// `.internalError` when no compiler or Engine build is usable.
    public func compile(_ tangled: TangledProgram, chapter: Chapter) throws -> CompiledProgram {
        let plan = try plan(tangled)
        let (swiftc, objects, flags, key) = (plan.swiftc, plan.objects, plan.flags, plan.key)
        let folder = cacheDirectory.appendingPathComponent(key, isDirectory: true)
        let executable = folder.appendingPathComponent("program")
        if FileManager.default.isExecutableFile(atPath: executable.path) {
            return CompiledProgram(executable: executable, key: key, compileSeconds: 0, tangled: tangled)
        }

        removeAbandonedTemporaries()
        let temporary = cacheDirectory.appendingPathComponent(".tmp-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let main = temporary.appendingPathComponent("main.swift")
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            try Data(tangled.source.utf8).write(to: main)
        } catch {
            throw RunFailure(kind: .internalError, cell: nil, message: "cannot write \(main.path): \(error.localizedDescription)")
        }
        let moduleCache = root.appendingPathComponent(".lessons/module-cache").path
        let arguments = flags + ["-module-cache-path", moduleCache, main.path]
            + objects.map(\.path) + ["-o", temporary.appendingPathComponent("program").path]

        let started = DispatchTime.now().uptimeNanoseconds
        let (status, output) = try Self.run(swiftc, arguments, in: root)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard status == 0 else {
            throw RunFailure(kind: .compile, cell: Self.cell(of: output, in: chapter, path: tangled.markdownPath),
                             message: output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // Atomic publish: rename fails if another process already put the same key there.
        if rename(temporary.path, folder.path) != 0,
           !FileManager.default.isExecutableFile(atPath: executable.path) {
            throw RunFailure(kind: .internalError, cell: nil,
                             message: "cannot move the compiled program to \(folder.path): \(String(cString: strerror(errno)))")
        }
        return CompiledProgram(executable: executable, key: key, compileSeconds: seconds, tangled: tangled)
    }

    private struct Plan {
        var swiftc: URL
        var objects: [URL]
        var flags: [String]
        var key: String
    }

    /// The compiler, what to link, the flags, and the key they all hash to.
    private func plan(_ tangled: TangledProgram) throws -> Plan {
        let swiftc = try Self.swiftc()
        let version = try Self.version(of: swiftc)
        if let built = engine.compilerVersion, built.trimmingCharacters(in: .whitespacesAndNewlines) != version {
            throw RunFailure(kind: .internalError, cell: nil, message:
                "\(swiftc.path) is \(version), but Engine in \(engine.directory.path) was built by \(built); set SWIFTC to the matching compiler")
        }
        let objects = engine.objectFiles()
        // -g: a crash backtrace names the `.md` line. -wmo: one frontend job, no separate
        // emit-module job repeating the errors. llvm style: `Chapters/x.md:LINE:COL: error:`
        // plus the offending line, instead of an excerpt of the generated file.
        let flags = [optimize ? "-O" : "-Onone", "-g", "-wmo", "-diagnostic-style", "llvm", "-swift-version", "5",
                     "-suppress-warnings", "-module-name", "ChapterProgram"] + engine.compilerFlags()
        let key = try cacheKey(source: tangled.source, version: version, flags: flags)
        return Plan(swiftc: swiftc, objects: objects, flags: flags, key: key)
    }

    /// Temporary folders of compiles whose process was killed (`defer` never ran). An hour
    /// is far longer than any compile, so no live compile loses its folder.
    private func removeAbandonedTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory.path)) ?? []
        for name in names where name.hasPrefix(".tmp-") {
            let folder = cacheDirectory.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: folder.path)[.modificationDate]) as? Date
            if let modified, modified < Date(timeIntervalSinceNow: -3600) { try? FileManager.default.removeItem(at: folder) }
        }
    }

    /// Hashes what determines the program: the source, the bytes of Engine (its module
    /// and every object linked), the compiler's version and the flags.
    private func cacheKey(source: String, version: String, flags: [String]) throws -> String {
        let material = "lessons-program-2\n\(version)\n\(flags.joined(separator: " "))\n\(try engine.fingerprint())\n\(source)\n"
        return sha1Hex(Data(material.utf8))
    }

    /// The first `.md:LINE:` error in `output`, mapped to the runnable cell holding that line.
    static func cell(of output: String, in chapter: Chapter, path: String) -> String? {
        for line in output.split(separator: "\n") where line.hasPrefix(path + ":") && line.contains(": error:") {
            let rest = line.dropFirst(path.count + 1)
            guard let number = Int(rest.prefix { $0.isNumber }) else { continue }
            return chapter.runnableCells.last { $0.line <= number && number <= $0.line + lineCount($0.code) }?.id
        }
        return nil
    }

    private static func lineCount(_ code: String) -> Int { code.split(separator: "\n", omittingEmptySubsequences: false).count }

    // MARK: - The compiler

    /// `$SWIFTC`, else the first `swiftc` on `PATH`.
    public static func swiftc() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SWIFTC"], !path.isEmpty { return URL(fileURLWithPath: path) }
        for folder in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("swiftc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw RunFailure(kind: .internalError, cell: nil, message: "no swiftc on PATH; set SWIFTC to the compiler that built lessons")
    }

    private static let versions = VersionCache()

    /// `swiftc --version`, remembered per compiler path for the life of the process.
    static func version(of swiftc: URL) throws -> String {
        if let known = versions.get(swiftc.path) { return known }
        let (status, output) = try run(swiftc, ["--version"], in: nil)
        guard status == 0 else {
            throw RunFailure(kind: .internalError, cell: nil, message: "\(swiftc.path) --version failed: \(output)")
        }
        let version = output.split(separator: "\n").filter { !$0.hasPrefix("warning") }.joined(separator: "\n")
        versions.set(swiftc.path, version)
        return version
    }

    /// Runs a tool to completion; returns its exit status and stdout+stderr.
    static func run(_ tool: URL, _ arguments: [String], in folder: URL?) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw RunFailure(kind: .internalError, cell: nil, message: "cannot run \(tool.path): \(error.localizedDescription)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// A lock-protected dictionary: `ProgramBuilder` may compile on several threads at once.
private final class VersionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]
    func get(_ key: String) -> String? { lock.lock(); defer { lock.unlock() }; return values[key] }
    func set(_ key: String, _ value: String) { lock.lock(); values[key] = value; lock.unlock() }
}
