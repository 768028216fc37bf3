import Foundation

/// `url` relative to the current directory when it lies inside it, as messages show files.
func displayPath(_ url: URL) -> String {
    let path = url.standardizedFileURL.path
    let cwd = FileManager.default.currentDirectoryPath
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
}
