import Foundation

/// What every chapter program of one `lessons` process is built with — the compiler, the
/// Engine build to link and that build's fingerprint — found and hashed once, then shared by
/// every chapter (compiling, and telling whether a stored result is current).
public struct Toolchain: Sendable {
    /// `$SWIFTC`, else the first `swiftc` on `PATH`.
    public let swiftc: URL
    /// `swiftc --version`.
    public let version: String
    public let engine: EngineBuild
    /// SHA-1 of the Engine module and every object a program links (`EngineBuild.fingerprint`).
    public let engineFingerprint: String

    /// Finds the compiler and the Engine build (the running executable's, or `buildDirectory`),
    /// checks that they belong together, and fingerprints the build.
    /// Throws `ChapterFailure` (`.internalError`) when either is unusable.
    public static func locate(buildDirectory: URL? = nil) throws -> Toolchain {
        let engine = try buildDirectory.map(EngineBuild.init(directory:)) ?? EngineBuild.locate()
        let swiftc = try findCompiler()
        let version = try versionText(of: swiftc)
        if let built = engine.compilerVersion, built.trimmingCharacters(in: .whitespacesAndNewlines) != version {
            throw ChapterFailure(kind: .internalError, message:
                "\(swiftc.path) is \(version), but Engine in \(engine.directory.path) was built by \(built); set SWIFTC to the matching compiler")
        }
        return Toolchain(swiftc: swiftc, version: version, engine: engine, engineFingerprint: try engine.fingerprint())
    }

    /// The toolchain's `usr` folder (`/opt/swift/usr` for `/opt/swift/usr/bin/swiftc`): its
    /// `lib/swift` holds the runtime libraries every chapter program loads.
    public var runtimeRoot: URL {
        swiftc.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func findCompiler() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SWIFTC"], !path.isEmpty { return URL(fileURLWithPath: path) }
        for folder in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("swiftc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ChapterFailure(kind: .internalError, message: "no swiftc on PATH; set SWIFTC to the compiler that built lessons")
    }

    private static func versionText(of swiftc: URL) throws -> String {
        let (status, output) = try runTool(swiftc, ["--version"], in: nil)
        guard status == 0 else {
            throw ChapterFailure(kind: .internalError, message: "\(swiftc.path) --version failed: \(output)")
        }
        return output.split(separator: "\n").filter { !$0.hasPrefix("warning") }.joined(separator: "\n")
    }
}

/// Runs a tool to completion in its own process group, registered with `ChildProcesses` so
/// that Ctrl-C stops it (and whatever it started); returns its exit status and stdout+stderr.
/// Throws `.interrupted` when the run was stopped meanwhile.
///
/// The tool gets a `TMPDIR` of its own, removed afterwards: the Swift driver leaves a
/// `TemporaryDirectory.*` folder behind on every call, even `swiftc --version`.
func runTool(_ tool: URL, _ arguments: [String], in folder: URL?) throws -> (Int32, String) {
    let temporary = FileManager.default.temporaryDirectory
    AbandonedFolders.sweep(in: temporary, prefix: toolFolderPrefix)
    let scratch = temporary.appendingPathComponent(AbandonedFolders.name(toolFolderPrefix), isDirectory: true)
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }

    let process = Process()
    process.executableURL = tool
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["TMPDIR"] = scratch.path
    process.environment = environment
    if let folder { process.currentDirectoryURL = folder }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do { try ChildProcesses.shared.start(process) } catch let failure as ChapterFailure {
        throw failure
    } catch {
        throw ChapterFailure(kind: .internalError, message: "cannot run \(tool.path): \(error.localizedDescription)")
    }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    ChildProcesses.shared.forget(process)
    if ChildProcesses.shared.isInterrupted {
        throw ChapterFailure(kind: .interrupted, message: "\(tool.lastPathComponent) was stopped")
    }
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

private let toolFolderPrefix = "lessons-tool-"
