import ArgumentParser
import Foundation
import Grade
import Notebook

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Combine reports.")
    func run() throws {}
}
