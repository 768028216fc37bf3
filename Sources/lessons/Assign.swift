import ArgumentParser
import Foundation
import Grade
import Notebook

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Write the student release.")
    func run() throws {}
}
