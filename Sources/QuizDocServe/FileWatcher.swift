import Foundation
import Synchronization

/// Tells when the project's inputs change: `data/quizzes/`, everything under `templates/`,
/// and `quizdoc.yaml`. Linux inotify by default, with a watch on every folder (new folders
/// are watched as they appear); `poll` instead compares a listing of sizes, times and inodes
/// every 300 ms, for mounts where inotify events do not arrive (network file systems, WSL2's
/// `/mnt/c`). A change raises a flag (`takeChange`) and wakes whoever waits (`nextChange`);
/// the server debounces a burst of them into one build.
final class FileWatcher: @unchecked Sendable {
    let root: URL
    let poll: Bool
    private let stopped = Atomic<Bool>(false)
    private var thread: Thread?
    private struct Signal {
        var pending = false
        var waiter: CheckedContinuation<Bool, Never>?
    }
    private let signal = Mutex(Signal())
    /// When the last change arrived (`DispatchTime` nanoseconds).
    private let lastChange = Atomic<UInt64>(0)

    /// Nanoseconds since the last change.
    var sinceLastChange: UInt64 {
        DispatchTime.now().uptimeNanoseconds &- lastChange.load(ordering: .relaxed)
    }

    /// The inputs a build reads, relative to the root.
    static let watched = ["data/quizzes", "templates"]
    static let settingsFile = "quizdoc.yaml"

    init(root: URL, poll: Bool) {
        self.root = root
        self.poll = poll
    }

    /// Waits for a change (returns at once if one is pending); false once stopped.
    func nextChange() async -> Bool {
        await withCheckedContinuation { continuation in
            let resume: Bool? = signal.withLock { signal in
                if stopped.load(ordering: .relaxed) { return false }
                if signal.pending {
                    signal.pending = false
                    return true
                }
                signal.waiter = continuation
                return nil
            }
            if let resume { continuation.resume(returning: resume) }
        }
    }

    /// Whether a change came since the last look, clearing it.
    func takeChange() -> Bool {
        signal.withLock { signal in
            defer { signal.pending = false }
            return signal.pending
        }
    }

    private func changed() {
        lastChange.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        let waiter = signal.withLock { signal -> CheckedContinuation<Bool, Never>? in
            if let waiter = signal.waiter {
                signal.waiter = nil
                return waiter
            }
            signal.pending = true
            return nil
        }
        waiter?.resume(returning: true)
    }

    func start() throws {
        if poll {
            let thread = Thread { [self] in pollLoop() }
            thread.name = "quizdoc-watch"
            self.thread = thread
            thread.start()
            return
        }
        let descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { throw WatchError(reason: "inotify: \(String(cString: strerror(errno))); try --poll") }
        var watches: [Int32: String] = [:]
        addWatches(descriptor, &watches)
        let initial = watches
        let thread = Thread { [self] in inotifyLoop(descriptor, initial) }
        thread.name = "quizdoc-watch"
        self.thread = thread
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        let waiter = signal.withLock { signal -> CheckedContinuation<Bool, Never>? in
            defer { signal.waiter = nil }
            return signal.waiter
        }
        waiter?.resume(returning: false)
    }

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF)

    /// A watch on the root (for `quizdoc.yaml` and the input folders coming and going) and on
    /// every folder below the watched ones.
    private func addWatches(_ descriptor: Int32, _ watches: inout [Int32: String]) {
        var folders = [""]
        for top in Self.watched {
            folders.append(top)
            let base = root.appendingPathComponent(top).path
            for case let relative as String in FileManager.default.enumerator(atPath: base) ?? NSEnumerator() {
                var info = stat()
                if lstat("\(base)/\(relative)", &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    folders.append("\(top)/\(relative)")
                }
            }
        }
        for folder in folders {
            let path = folder.isEmpty ? root.path : root.appendingPathComponent(folder).path
            let watch = inotify_add_watch(descriptor, path, Self.mask)
            if watch >= 0 { watches[watch] = folder }
        }
    }

    private func inotifyLoop(_ descriptor: Int32, _ initial: [Int32: String]) {
        defer { close(descriptor) }
        var watches = initial
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped.load(ordering: .relaxed) {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&request, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var relevant = false
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (watch, length, name) = buffer.withUnsafeBytes { bytes -> (Int32, Int, String) in
                    let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let raw = bytes[start..<(start + Int(event.len))].prefix { $0 != 0 }
                    return (event.wd, Int(event.len), String(decoding: raw, as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + length
                let folder = watches[watch] ?? ""
                // At the root, only the inputs matter (not docs-out/, which builds write).
                if folder.isEmpty, !(Self.watched.contains { $0.hasPrefix(name + "/") || $0 == name } || name == Self.settingsFile || name == "data") {
                    continue
                }
                relevant = true
            }
            if relevant {
                addWatches(descriptor, &watches)
                changed()
            }
        }
    }

    private func pollLoop() {
        var last = listing()
        while !stopped.load(ordering: .relaxed) {
            Thread.sleep(forTimeInterval: 0.3)
            let now = listing()
            if now != last {
                last = now
                changed()
            }
        }
    }

    /// Every input file and folder with its size, time and inode.
    private func listing() -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        func note(_ path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            result[path] = [Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec), Int64(info.st_ino)]
        }
        note(root.appendingPathComponent(Self.settingsFile).path)
        for top in Self.watched {
            let base = root.appendingPathComponent(top).path
            note(base)
            for case let relative as String in FileManager.default.enumerator(atPath: base) ?? NSEnumerator() {
                note("\(base)/\(relative)")
            }
        }
        return result
    }
}

struct WatchError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
