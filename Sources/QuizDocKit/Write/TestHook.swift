import Foundation
import Synchronization

/// Test hooks, so that tests interrupt a build at a named moment instead of sleeping, and
/// inject failures where the disk rarely fails (as SQLite's test suite injects faults at
/// numbered calls). Without the variables, each hook is one comparison.
///
/// - `QUIZDOC_KILL_AT=<point>:<n>`: the build kills itself with SIGKILL the n-th time it
///   reaches `point`: `staged` (each mirror or site file staged), `commit` (the commit
///   begins), `swapped` (the new site is in place), `renamed` (each mirror renamed into
///   place), `manifest-staged` (the new manifest written beside the old one), `done`.
/// - `QUIZDOC_FAIL_AT=<step>:<n>`: the n-th time the commit reaches `step`, that step fails
///   as if the disk had refused it: `backup` (keeping an old mirror aside), `swap` (the
///   site), `rename` (a mirror), `remove` (an orphan mirror).
enum TestHook {
    private static func target(_ variable: String) -> (point: String, count: Int)? {
        guard let value = Environment.value(variable) else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let count = Int(parts[1]), count > 0 else { return nil }
        return (String(parts[0]), count)
    }

    private static let kill = target("QUIZDOC_KILL_AT")
    private static let fail = target("QUIZDOC_FAIL_AT")
    private static let reached = Mutex<[String: Int]>([:])

    private static func count(_ key: String) -> Int {
        reached.withLock { counts in
            counts[key, default: 0] += 1
            return counts[key]!
        }
    }

    /// Kills the process if the test asked for it here.
    static func reach(_ point: String) {
        guard let kill, kill.point == point, count("kill " + point) == kill.count else { return }
        Glibc.kill(getpid(), SIGKILL)
    }

    /// Whether the test asked this step to fail.
    static func fails(_ step: String) -> Bool {
        guard let fail, fail.point == step else { return false }
        return count("fail " + step) == fail.count
    }
}
