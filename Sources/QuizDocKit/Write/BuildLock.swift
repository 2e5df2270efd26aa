import Foundation

/// Keeps two builds of one project from running at once: `quizdoc serve` rebuilding while
/// `quizdoc build` runs would race on the staging folder, the spare site and the manifest.
/// An exclusive `flock` on the project folder itself, so that no file is made (a failed
/// build changes nothing on disk), held until the build and its manifest are done and
/// released by the kernel if the process dies. A build that finds it taken says so and waits.
final class BuildLock: Sendable {
    private let descriptor: Int32

    private init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The project's lock, once it is this process's; `waiting` is called first when another
    /// build holds it. Nil when the folder cannot be locked (a file system without `flock`):
    /// the build then goes on as it did before there was a lock.
    static func acquire(root: URL, waiting: (@Sendable () -> Void)?) async -> BuildLock? {
        let descriptor = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return BuildLock(descriptor) }
        guard errno == EWOULDBLOCK else {
            close(descriptor)
            return nil
        }
        waiting?()
        // Blocking, on a thread of its own: never on one of the few the tasks share.
        let locked = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Thread.detachNewThread {
                var result: Int32
                repeat { result = flock(descriptor, LOCK_EX) } while result != 0 && errno == EINTR
                continuation.resume(returning: result == 0)
            }
        }
        guard locked else {
            close(descriptor)
            return nil
        }
        return BuildLock(descriptor)
    }
}
