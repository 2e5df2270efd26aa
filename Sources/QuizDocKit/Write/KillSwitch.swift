import Foundation
import Synchronization

/// A test hook, so that tests interrupt a build at a named moment instead of sleeping: with
/// `QUIZDOC_KILL_AT=<point>:<n>` in the environment, the build kills itself with SIGKILL the
/// n-th time it reaches `point` (as SQLite's test suite injects faults at numbered calls).
/// Without the variable, `reach` is one comparison.
///
/// The points, in the order a build meets them: `staged` (each mirror or site file staged),
/// `commit` (the commit begins), `swapped` (the new site is in place), `renamed` (each mirror
/// renamed into place), `manifest-staged` (the new manifest written beside the old one),
/// `done` (the manifest in place).
enum KillSwitch {
    private static let target: (point: String, count: Int)? = {
        guard let value = ProcessInfo.processInfo.environment["QUIZDOC_KILL_AT"] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let count = Int(parts[1]), count > 0 else { return nil }
        return (String(parts[0]), count)
    }()

    private static let reached = Mutex(0)

    static func reach(_ point: String) {
        guard let target, target.point == point else { return }
        let count = reached.withLock { count in
            count += 1
            return count
        }
        if count == target.count { kill(getpid(), SIGKILL) }
    }
}
