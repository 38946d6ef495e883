import Foundation

/// Where quarryd listens when no socket path is configured, and where `quarry` looks for it.
public enum DefaultPaths {
    /// `$XDG_RUNTIME_DIR/quarry/quarry.sock`, else `/tmp/quarry-$UID/quarry.sock`.
    public static func socket(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime + "/quarry/quarry.sock"
        }
        return "/tmp/quarry-\(getuid())/quarry.sock"
    }
}
