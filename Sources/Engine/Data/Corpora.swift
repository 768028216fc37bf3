import Foundation
import ZIPFoundation

/// A corpus as the language-model chapters use it: the token indices in order, and the
/// vocabulary that maps them back to tokens (d2l's `corpus_indices` with `idx_to_char` /
/// `char_to_idx`, or v2's `corpus, vocab`).
public struct Corpus: Equatable, Sendable {
    public let indices: [Int]
    public let vocab: Vocab

    public init(indices: [Int], vocab: Vocab) {
        precondition(indices.allSatisfy { vocab.tokens.indices.contains($0) },
                     "every index must be in the vocabulary")
        self.indices = indices
        self.vocab = vocab
    }

    /// A corpus over `tokens`, with a first-occurrence vocabulary built from them.
    public init(tokens: [String], reservedTokens: [String] = []) {
        let vocab = Vocab(tokens, reservedTokens: reservedTokens)
        self.init(indices: vocab.indices(of: tokens), vocab: vocab)
    }

    /// A character-level corpus over `text`, e.g. `Corpus(characters: "hello world")` for a
    /// tiny example. One token per Unicode scalar, as Python's `str` counts characters, so
    /// "\r\n" is two tokens here as it is in the sources.
    public init(characters text: String, reservedTokens: [String] = []) {
        self.init(tokens: Corpus.characterTokens(text), reservedTokens: reservedTokens)
    }

    /// The number of tokens (`len(corpus_indices)`).
    public var count: Int { indices.count }

    /// The corpus's tokens, in order.
    public var tokens: [String] { vocab.tokens(at: indices) }

    /// Splits text into one-scalar tokens.
    static func characterTokens(_ text: String) -> [String] {
        text.unicodeScalars.map { String($0) }
    }
}

extension Corpus {
    /// The Jay Chou lyrics corpus of d2l-zh v1 (`load_data_jay_lyrics`): the zip's one member,
    /// each "\n" and "\r" replaced by a space, cut to the first `maxCharacters` characters
    /// (10,000 give a vocabulary of 1,027 characters).
    /// - Parameter dataDir: where to look first; nil follows `DataStore`'s search order.
    public static func jayChouLyrics(dataDir: URL? = nil, maxCharacters: Int? = 10_000) throws -> Corpus {
        try jayChouLyrics(store: DataStore(dataDirectory: dataDir), maxCharacters: maxCharacters)
    }

    /// The same, from a given store (e.g. an offline one in tests).
    public static func jayChouLyrics(store: DataStore, maxCharacters: Int? = 10_000) throws -> Corpus {
        let spec = DatasetSpec.jayChouLyrics
        let text = try unzipText(try store.data(for: spec), member: "jaychou_lyrics.txt", of: spec)
        var tokens = characterTokens(text).map { $0 == "\n" || $0 == "\r" ? " " : $0 }
        if let maxCharacters { tokens = Array(tokens.prefix(maxCharacters)) }
        return Corpus(tokens: tokens)
    }

    /// The Time Machine at character level, as d2l v2 prepares it (`load_corpus_time_machine`):
    /// in each line every run of non-letters becomes one space, then the line is stripped and
    /// lowercased; the lines' characters are concatenated with no separator (170,580 tokens).
    /// The corpus keeps the first `maxTokens` (10,000 as in the source; nil keeps them all),
    /// and the vocabulary has `<unk>` reserved: 28 entries.
    public static func timeMachine(dataDir: URL? = nil, maxTokens: Int? = 10_000) throws -> Corpus {
        try timeMachine(store: DataStore(dataDirectory: dataDir), maxTokens: maxTokens)
    }

    /// The same, from a given store (e.g. an offline one in tests).
    public static func timeMachine(store: DataStore, maxTokens: Int? = 10_000) throws -> Corpus {
        let spec = DatasetSpec.timeMachine
        let text = try decodeUTF8(try store.data(for: spec), path: spec.name, of: spec)
        var tokens = timeMachineLines(text).flatMap(characterTokens)
        if let maxTokens { tokens = Array(tokens.prefix(maxTokens)) }
        return Corpus(tokens: tokens, reservedTokens: [Vocab.unknown])
    }

    /// d2l v2's `read_time_machine` line cleaning: `re.sub('[^A-Za-z]+', ' ', line).strip().lower()`.
    public static func timeMachineLines(_ text: String) -> [String] {
        lines(text).map { line in
            var cleaned = String.UnicodeScalarView()
            var inGap = false
            for scalar in line.unicodeScalars {
                if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) {
                    cleaned.append(scalar)
                    inGap = false
                } else if !inGap {
                    cleaned.append(" ")
                    inGap = true
                }
            }
            // Only ASCII letters and single spaces remain, so stripping spaces is Python's strip().
            return String(cleaned).trimmingCharacters(in: .init(charactersIn: " ")).lowercased()
        }
    }
}

/// The Penn Treebank word-level splits (d2l's PTB data): index arrays over one vocabulary.
public struct PennTreebank: Sendable {
    public let train: [Int]
    public let valid: [Int]
    public let test: [Int]
    /// Built from the training split in first-occurrence order: 9,999 words (`<unk>` among
    /// them) and `<eos>`, 10,000 entries. Unknown words in valid/test map to `<unk>`.
    public let vocab: Vocab

    /// The end-of-line token appended after each line's words.
    public static let endOfSentence = "<eos>"

    /// Reads `ptb/ptb.{train,valid,test}.txt` from `ptb.zip`: words split on whitespace,
    /// `<eos>` after each line (the training split: 887,521 words and 42,068 line ends).
    public static func load(dataDir: URL? = nil) throws -> PennTreebank {
        try load(store: DataStore(dataDirectory: dataDir))
    }

    /// The same, from a given store (e.g. an offline one in tests).
    public static func load(store: DataStore) throws -> PennTreebank {
        let spec = DatasetSpec.ptb
        let zip = try store.data(for: spec)
        func words(_ split: String) throws -> [String] {
            let text = try Corpus.unzipText(zip, member: "ptb/ptb.\(split).txt", of: spec)
            return tokenize(text)
        }
        let train = try words("train")
        let vocab = Vocab(train)
        return PennTreebank(train: vocab.indices(of: train),
                            valid: vocab.indices(of: try words("valid")),
                            test: vocab.indices(of: try words("test")),
                            vocab: vocab)
    }

    /// PTB-style word tokens: each line's whitespace-separated words followed by `<eos>`
    /// (as PyTorch's word-language-model example reads it: `line.split() + ['<eos>']`).
    public static func tokenize(_ text: String) -> [String] {
        Corpus.lines(text).flatMap { line in
            line.split(whereSeparator: { $0.isWhitespace }).map(String.init) + [endOfSentence]
        }
    }
}

extension Corpus {
    /// The lines of `text` as Python's text-mode `readlines()` gives them: "\n", "\r\n" and "\r"
    /// end a line, and a final line end does not start another, empty, line.
    static func lines(_ text: String) -> [Substring] {
        // "\r\n" is one Character in Swift, so it is matched as a whole.
        var lines = text.split(omittingEmptySubsequences: false) {
            $0 == "\n" || $0 == "\r\n" || $0 == "\r"
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The UTF-8 text of one member of a zip archive held in memory.
    static func unzipText(_ zip: Data, member: String, of spec: DatasetSpec) throws -> String {
        let path = "\(spec.name)/\(member)"
        let archive: Archive
        do {
            archive = try Archive(data: zip, accessMode: .read)
        } catch {
            throw DataError.unreadable(file: spec.name, path: spec.name, reason: "not a zip archive: \(error)")
        }
        guard let entry = archive[member] else {
            throw DataError.unreadable(file: spec.name, path: path, reason: "the archive has no member '\(member)'")
        }
        var bytes = Data()
        do {
            _ = try archive.extract(entry) { bytes.append($0) }
        } catch {
            throw DataError.unreadable(file: spec.name, path: path, reason: "could not unzip: \(error)")
        }
        return try decodeUTF8(bytes, path: path, of: spec)
    }

    static func decodeUTF8(_ bytes: Data, path: String, of spec: DatasetSpec) throws -> String {
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw DataError.unreadable(file: spec.name, path: path, reason: "not UTF-8 text")
        }
        return text
    }
}
