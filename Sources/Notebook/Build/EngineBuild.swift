import Engine  // sha1Hex
import Foundation

/// The SwiftPM build directory whose Engine a chapter program links against, e.g.
/// `.build/x86_64-unknown-linux-gnu/debug/`. Using the very build the running `lessons`
/// (or test bundle) belongs to means chapters always run against the Engine you just built.
///
/// Layout used: `Modules/Engine.swiftmodule`; each Swift target's objects listed in
/// `<Target>.build/output-file-map.json`; `description.json` for Engine's dependencies
/// and the module maps of the C modules it imports (CBLAS, ZIPFoundation's CZLib).
public struct EngineBuild: Equatable, Sendable {
    public let directory: URL

    /// Validates that `directory` holds a built Engine module.
    public init(directory: URL) throws {
        self.directory = directory.standardizedFileURL
        guard FileManager.default.fileExists(atPath: moduleFile.path) else {
            throw ChapterFailure(kind: .internalError,
                                 message: "no Engine build in \(directory.path) (missing Modules/Engine.swiftmodule); run `swift build` first")
        }
    }

    /// The build directory of the running executable: `/proc/self/exe`'s folder or the
    /// nearest folder above it holding `Modules/Engine.swiftmodule` (covers `lessons` in
    /// `debug/` and test bundles in `debug/*.xctest`, for any `--scratch-path`).
    public static func locate() throws -> EngineBuild {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Modules/Engine.swiftmodule").path) {
                return try EngineBuild(directory: folder)
            }
            folder = folder.deletingLastPathComponent()
        }
        throw ChapterFailure(kind: .internalError,
                             message: "cannot find the Engine build next to \(exe); pass the build directory explicitly")
    }

    public var modulesDirectory: URL { directory.appendingPathComponent("Modules", isDirectory: true) }
    public var moduleFile: URL { modulesDirectory.appendingPathComponent("Engine.swiftmodule") }

    /// The `swift-version-*.txt` SwiftPM records: the compiler that built Engine. A chapter
    /// compiled by another swiftc cannot import the module.
    var compilerVersion: String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard let name = names.first(where: { $0.hasPrefix("swift-version-") && $0.hasSuffix(".txt") }) else { return nil }
        return try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// SHA-1 of the Engine module and every object a chapter program links: what a program
    /// key and a stored result's identity both depend on.
    func fingerprint() throws -> String {
        var material = Data()
        for file in [moduleFile] + objectFiles() {
            guard let bytes = try? Data(contentsOf: file) else {
                throw ChapterFailure(kind: .internalError, message: "cannot read \(file.path)")
            }
            material.append(Data("\(file.lastPathComponent) \(bytes.count)\n".utf8))
            material.append(bytes)
        }
        return sha1Hex(material)
    }

    /// The object files to link: Engine's and those of the Swift targets it depends on.
    func objectFiles() -> [URL] {
        (["Engine"] + dependencies()).flatMap(objects(ofTarget:))
    }

    /// Flags that let swiftc load Engine's module and the C modules it imports.
    func compilerFlags() -> [String] {
        var flags = ["-I", modulesDirectory.path]
        let engineArguments = engineCommand()?["otherArguments"] as? [String] ?? []
        var i = 0
        while i < engineArguments.count {
            let argument = engineArguments[i]
            if argument == "-Xcc", i + 1 < engineArguments.count, engineArguments[i + 1].hasPrefix("-fmodule-map-file=") {
                flags += ["-Xcc", engineArguments[i + 1]]
                i += 1
            } else if argument.hasPrefix("-I"), argument.count > 2 {
                flags.append(argument)
            }
            i += 1
        }
        if flags.count == 2 {
            // No description.json: declare every module map of the package and its checkouts.
            flags += fallbackModuleMaps().flatMap { ["-Xcc", "-fmodule-map-file=" + $0.path] }
        }
        return flags
    }

    // MARK: - SwiftPM's build description

    private func description() -> [String: Any]? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("description.json")) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private func engineCommand() -> [String: Any]? {
        let commands = description()?["swiftCommands"] as? [String: Any] ?? [:]
        return commands.first { $0.key.hasPrefix("C.Engine-") }?.value as? [String: Any]
    }

    /// Engine's target dependencies (transitive, as SwiftPM lists them); C modules have no
    /// `.build/output-file-map.json` and drop out in `objects(ofTarget:)`.
    private func dependencies() -> [String] {
        if let map = description()?["targetDependencyMap"] as? [String: [String]], let list = map["Engine"] {
            return list
        }
        return ["ChapterRuntime", "ZIPFoundation"]
    }

    private func objects(ofTarget target: String) -> [URL] {
        let folder = directory.appendingPathComponent(target + ".build", isDirectory: true)
        let mapURL = folder.appendingPathComponent("output-file-map.json")
        guard let data = try? Data(contentsOf: mapURL),
              let map = (try? JSONSerialization.jsonObject(with: data)) as? [String: [String: String]] else {
            // Not a Swift target, or an older layout: every object in the folder.
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { $0.hasSuffix(".o") }.sorted().map { folder.appendingPathComponent($0) }
        }
        // Only the current sources' objects: a renamed file leaves a stale `.o` behind,
        // and linking it would duplicate symbols.
        return map.values.compactMap { $0["object"] }.sorted()
            .filter { FileManager.default.fileExists(atPath: $0) }.map { URL(fileURLWithPath: $0) }
    }

    /// `<package>/Sources/*/module.modulemap` and the same in `checkouts/*`, found by
    /// walking up from the build directory to the scratch folder (the one with `checkouts/`).
    private func fallbackModuleMaps() -> [URL] {
        var scratch = directory
        while scratch.path != "/", !FileManager.default.fileExists(atPath: scratch.appendingPathComponent("checkouts").path) {
            scratch = scratch.deletingLastPathComponent()
        }
        var packages = [scratch.deletingLastPathComponent()]
        let checkouts = scratch.appendingPathComponent("checkouts")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: checkouts.path)) ?? [] {
            packages.append(checkouts.appendingPathComponent(name))
        }
        return packages.flatMap { package -> [URL] in
            let sources = package.appendingPathComponent("Sources")
            return ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []).sorted()
                .map { sources.appendingPathComponent($0).appendingPathComponent("module.modulemap") }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
        }
    }
}
