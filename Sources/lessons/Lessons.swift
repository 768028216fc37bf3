import ArgumentParser

@main
struct Lessons: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Run, check and benchmark the chapters of the recurrent-language-model course.",
        subcommands: [RunCommand.self, CheckCommand.self, ListCommand.self, Bench.self])
}
