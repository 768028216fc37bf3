import ArgumentParser

@main
struct Lessons: ParsableCommand {
    /// The tool's version, as `lessons --version` prints it.
    static let version = "0.4.0"

    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Run, check and benchmark the chapters of the recurrent-language-model course.",
        version: version,
        subcommands: [RunCommand.self, CheckCommand.self, ListCommand.self, CleanCommand.self, Bench.self,
                      GradeCommand.self, AssignCommand.self, ReportCommand.self,
                      RenderCommand.self, ExportCommand.self, ImportCommand.self, ServeCommand.self])
}
