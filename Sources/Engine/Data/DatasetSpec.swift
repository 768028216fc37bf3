import Foundation

/// A dataset file: its name, the SHA-1 of the exact bytes the chapters' figures come from,
/// and where to download it. Tests build their own specs to point `url` at a local file.
public struct DatasetSpec: Sendable, Equatable {
    public let name: String
    public let sha1: String
    public let url: URL

    public init(name: String, sha1: String, url: URL) {
        self.name = name
        self.sha1 = sha1.lowercased()
        self.url = url
    }

    /// The d2l-zh (v1) lyrics corpus; one member, `jaychou_lyrics.txt`.
    public static let jayChouLyrics = DatasetSpec(
        name: "jaychou_lyrics.txt.zip", sha1: "9529987e701a4f37048ab778270a5dde9a762a0b",
        url: URL(string: "https://raw.githubusercontent.com/d2l-ai/d2l-zh/66964df083b506fcc672132851ea171519d48d0b/data/jaychou_lyrics.txt.zip")!)

    /// H. G. Wells, *The Time Machine*, as d2l v2 serves it.
    public static let timeMachine = DatasetSpec(
        name: "timemachine.txt", sha1: "090b5e7e70c295757f55df93cb0a180b9691891a",
        url: URL(string: "http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt")!)

    /// Penn Treebank language-model splits: `ptb/ptb.{train,valid,test}.txt`.
    public static let ptb = DatasetSpec(
        name: "ptb.zip", sha1: "319d85e578af0cdc590547f26231e4e31cdf1e42",
        url: URL(string: "http://d2l-data.s3-accelerate.amazonaws.com/ptb.zip")!)

    /// Every dataset the lessons use.
    public static let all: [DatasetSpec] = [jayChouLyrics, timeMachine, ptb]

    /// The known spec for a file name, e.g. `"ptb.zip"`.
    public static func named(_ name: String) -> DatasetSpec? {
        all.first { $0.name == name }
    }
}
