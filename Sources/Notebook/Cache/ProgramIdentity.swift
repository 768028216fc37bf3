import Engine
import Foundation

/// What a chapter's program is built from, hashed without compiling it: the tangled source
/// (cells with the `--param` values in force), the bytes of the Engine build it links, and the
/// compiler version.
///
/// `lessons list` must tell whether a stored result is current without compiling anything, so
/// it cannot use `CompiledProgram.key`; `lessons run` uses this same identity when it stores a
/// result, so the two always agree. It covers the same inputs as the program key, through the
/// same `EngineBuild.fingerprint()`, computed once here for every chapter.
public struct ProgramIdentity: Sendable {
    /// SHA-1 of the Engine module and every object a chapter program links.
    public let engine: String
    /// `swiftc --version`.
    public let toolchain: String

    /// Fingerprints the Engine build once; reuse the value for every chapter.
    public init(engine build: EngineBuild) throws {
        engine = try build.fingerprint()
        toolchain = try ProgramBuilder.version(of: ProgramBuilder.swiftc())
    }

    /// For the running executable's Engine build (or `buildDirectory`'s).
    public init(buildDirectory: URL? = nil) throws {
        try self.init(engine: buildDirectory.map(EngineBuild.init(directory:)) ?? EngineBuild.locate())
    }

    /// The program's key for `chapter` with `parameters`; throws `ParameterError` when the
    /// overrides no longer fit the chapter.
    public func key(for chapter: Chapter, parameters: [String: String], root: URL) throws -> String {
        let tangled = try Tangler.tangle(chapter, root: root, overrides: parameters)
        return sha1Hex(Data("lessons-program-identity-1\n\(engine)\n\(toolchain)\n\(tangled.source)".utf8))
    }
}
