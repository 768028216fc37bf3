import Foundation

extension Expectations {
    /// Checks the file against the chapter it belongs to: every cell it names must exist and
    /// run; every profile's parameters must be parameters of the chapter, with values of their
    /// kind; and no two profiles may be sized for the same settings, compared as values (unless
    /// one extends the other: then a run chosen by its parameters gets the one extended). Done
    /// separately from parsing because the chapter comes from another stage.
    public func validate(against chapter: Chapter) throws {
        if let chapterID, chapterID != chapter.id {
            throw failure("chapter", "says \"\(chapterID)\" but is used for chapter \(chapter.id)")
        }
        try validateCells(against: chapter)
        let declared = Tangler.parameters(of: chapter)
        try validateParameters(declared, chapter: chapter)
        try rejectAmbiguousSettings(declared)
    }

    private func validateCells(against chapter: Chapter) throws {
        let runnable = chapter.runnableCells.map(\.id)
        for list in origins.cellLists {
            if let found = chapter.cells.first(where: { $0.id == list.cell }), found.attributes.norun {
                throw failure(list.path, "cell \(list.cell) is marked norun: it never runs, so nothing can be checked")
            }
            if !runnable.contains(list.cell) {
                let known = runnable.isEmpty ? "it has no runnable cells" : "its cells: " + runnable.joined(separator: ", ")
                throw failure(list.path, "chapter \(chapter.id) has no cell \"\(list.cell)\" (\(known))")
            }
        }
    }

    /// Each parameter where it is written: a name the chapter declares, a value `--param` accepts.
    /// The message is the one `--param` itself would give, since that is what the profile applies.
    private func validateParameters(_ declared: [ChapterParameter], chapter: Chapter) throws {
        for name in profileNames {
            let own = origins.ownParameters[name] ?? profiles[name]!.parameters
            let path = "profiles.\(name).parameters"
            for key in own.keys.sorted() {
                guard let parameter = declared.first(where: { $0.name == key }) else {
                    let known = declared.map(\.name)
                    throw failure(path, "--param \(key)=\(own[key]!) names no parameter of chapter \(chapter.id) ("
                                  + (known.isEmpty ? "it declares none" : "its parameters: " + known.joined(separator: ", ")) + ")")
                }
                do {
                    _ = try ParameterScanner.literal(for: own[key]!, of: parameter)
                } catch let error as ParameterError {
                    throw failure(path, error.message)
                }
            }
        }
    }

    /// Two profiles for the same settings would make the choice of profile a coin toss, unless
    /// one extends the other (a `smoke` that is `full` under another name, for a chapter cheap
    /// enough to run whole): then selection by parameters takes the one extended.
    private func rejectAmbiguousSettings(_ declared: [ChapterParameter]) throws {
        let values = ParameterValues(declared: declared)
        let names = profileNames
        for (i, a) in names.enumerated() {
            for b in names[(i + 1)...] {
                let settingsA = values.overrides(profiles[a]!.parameters)
                guard settingsA == values.overrides(profiles[b]!.parameters) else { continue }
                if ancestors(of: a).contains(b) || ancestors(of: b).contains(a) { continue }
                let settings = profiles[a]!.parameters.isEmpty || settingsA.isEmpty
                    ? "the chapter's own values" : describeOverrides(profiles[a]!.parameters)
                let path = origins.ownParameters[b]?.isEmpty == false ? "profiles.\(b).parameters" : "profiles.\(b)"
                throw failure(path, "sized for the same settings as profile \"\(a)\" (\(settings)), so a run could "
                              + "not tell them apart; change its parameters, or let one extend the other")
            }
        }
    }

    private func failure(_ path: String, _ message: String) -> ExpectedError {
        ExpectedError(file: file, path: path, message: message, line: origins.line(of: path))
    }
}
