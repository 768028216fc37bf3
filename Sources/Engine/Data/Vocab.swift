/// A token ↔ index table (d2l's `Vocab`, v1's `idx_to_char` / `char_to_idx`).
///
/// Tokens are Strings: a character-level vocabulary holds one-character strings, a word-level
/// one holds words. Indices are given in first-occurrence order, reserved tokens first: the
/// sources build theirs from an unordered set or by frequency, so any order is faithful, and
/// first-occurrence order is the one that is reproducible everywhere.
///
/// If the vocabulary contains `Vocab.unknown` (`<unk>`), whether reserved or in the data (as in
/// the Penn Treebank), looking up a token it does not hold gives `<unk>`'s index.
public struct Vocab: Equatable, Sendable {
    /// The token standing in for every token the vocabulary does not hold.
    public static let unknown = "<unk>"

    /// Every token, at its index (d2l's `idx_to_token`).
    public let tokens: [String]
    private let indexOfToken: [String: Int]

    /// Builds the vocabulary from a token sequence.
    /// - Parameters:
    ///   - tokens: the corpus, in order; each distinct token gets the next free index.
    ///   - reservedTokens: tokens given the first indices whether or not they occur, e.g. `["<unk>"]`.
    public init<S: Sequence>(_ tokens: S, reservedTokens: [String] = []) where S.Element == String {
        var list: [String] = []
        var indexOf: [String: Int] = [:]
        for token in reservedTokens where indexOf[token] == nil {
            indexOf[token] = list.count
            list.append(token)
        }
        for token in tokens where indexOf[token] == nil {
            indexOf[token] = list.count
            list.append(token)
        }
        self.tokens = list
        self.indexOfToken = indexOf
    }

    /// The number of tokens (`len(vocab)`).
    public var count: Int { tokens.count }

    /// The index of `<unk>`, if the vocabulary has it.
    public var unknownIndex: Int? { indexOfToken[Vocab.unknown] }

    /// The index of `token`; `<unk>`'s index for a token not held; nil if there is no `<unk>` either.
    public func index(of token: String) -> Int? {
        indexOfToken[token] ?? unknownIndex
    }

    /// The token at `index` (d2l's `to_tokens` for one index).
    public subscript(index: Int) -> String { tokens[index] }

    /// Whether `token` itself (not `<unk>` in its place) is in the vocabulary.
    public func contains(_ token: String) -> Bool { indexOfToken[token] != nil }

    /// The indices of `tokens`, in order. Every token must be in the vocabulary, or the
    /// vocabulary must have `<unk>`: anything else is a programming error.
    public func indices<S: Sequence>(of tokens: S) -> [Int] where S.Element == String {
        tokens.map { token in
            guard let index = index(of: token) else {
                preconditionFailure("token \(token.debugDescription) is not in the vocabulary, which has no \(Vocab.unknown)")
            }
            return index
        }
    }

    /// The tokens at `indices` (d2l's `to_tokens`).
    public func tokens<S: Sequence>(at indices: S) -> [String] where S.Element == Int {
        indices.map { tokens[$0] }
    }
}
