import Foundation
@testable import Notebook

/// Small builders shared by the Check, Report and Cache tests.
enum Sample {
    static let file = URL(fileURLWithPath: "/tmp/Expected/12-gru.json")

    /// A chapter with cells `setup`, `train`, `sample`, and a `norun` cell `aside`.
    static func chapter(id: String = "12-gru") -> Chapter {
        let cells = [
            Cell(id: "setup", index: 0, code: "let epochs = 40", line: 5, attributes: CellAttributes(parameters: true)),
            Cell(id: "train", index: 1, code: "train()", line: 10, attributes: CellAttributes()),
            Cell(id: "sample", index: 2, code: "print(\"分开\")", line: 15, attributes: CellAttributes()),
            Cell(id: "aside", index: 3, code: "// shown only", line: 20, attributes: CellAttributes(norun: true)),
        ]
        return Chapter(id: id, title: "Gated recurrent units", path: URL(fileURLWithPath: "/tmp/Chapters/\(id).md"),
                       source: "# Gated recurrent units\n", cells: cells)
    }

    static func parse(_ json: String) throws -> Expectations {
        try Expectations.parse(Data(json.utf8), file: file)
    }

    /// A run in which `train` reports the given perplexities (epoch → value) and `sample` prints.
    static func run(perplexity: [(Int, Double)] = [(40, 150), (160, 1.4)], sampleOutput: String = "分开的爱\n",
                    failure: ChapterFailure? = nil, trainStatus: CellResult.Status = .passed,
                    sampleStatus: CellResult.Status = .passed) -> RunResult {
        let metrics = perplexity.map { Metric(name: "perplexity", epoch: $0.0, value: $0.1) }
            + [Metric(name: "tokens_per_second", epoch: nil, value: 5120)]
        return RunResult(chapterID: "12-gru", seed: 0, parameters: [:], compileSeconds: 2.5, cells: [
            CellResult(id: "setup", status: .passed, seconds: 0.01, stdout: "", stderr: "", metrics: []),
            CellResult(id: "train", status: trainStatus, seconds: 41.2, stdout: "training\n", stderr: "", metrics: metrics),
            CellResult(id: "sample", status: sampleStatus, seconds: 0.2, stdout: sampleOutput, stderr: "", metrics: []),
        ], failure: failure)
    }

    static let expectedJSON = """
    {
      "chapter": "12-gru",
      "profiles": {
        "full": {
          "cells": {
            "train": [
              {"metric": "perplexity", "epoch": 40, "range": [140, 160], "source": 149.27},
              {"metric": "perplexity", "final": true, "range": [1.2, 1.6], "source": 1.43},
              {"metric": "tokens_per_second", "final": true, "informational": true}
            ],
            "sample": [
              {"matches": "^分开"},
              {"output": "分开的爱"}
            ]
          }
        },
        "smoke": {
          "parameters": {"epochs": "5"},
          "cells": {"train": [{"metric": "perplexity", "epoch": 5, "range": [200, 1100]}]}
        }
      }
    }
    """

    static func expectations() throws -> Expectations { try parse(expectedJSON) }
}
