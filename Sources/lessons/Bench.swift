import ArgumentParser
import Engine

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Time the seeds' experiments on this machine.")
    func run() throws {}
}
