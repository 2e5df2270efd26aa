import Foundation
import Synchronization

/// Where a build's time goes, for benchmarks: with `QUIZDOC_TIMINGS=1` in the environment,
/// `build` prints one line per measured part to standard error when it ends. The parts run
/// on several threads, so a part's figure is the CPU time its threads spent in it (summed;
/// not wall time, which other threads' work would inflate on a busy machine). The stages'
/// ends are also marked on the wall clock and the process's CPU clock (`mark`), which show
/// the parts that run on one core.
enum StageTimes {
    enum Part: Int, CaseIterable {
        case searchPerPhase, searchPrevious, searchAssembly, previousPhases
        var name: String {
            switch self {
            case .searchPerPhase: "search: terms and results files of each phase"
            case .searchPrevious: "search: the last build's index read back"
            case .searchAssembly: "search: root and term chunks"
            case .previousPhases: "the last build's phases decoded from its manifest"
            }
        }
    }

    static let enabled = Environment.value("QUIZDOC_TIMINGS") == "1"
    private static let nanoseconds = Mutex<[UInt64]>(Array(repeating: 0, count: Part.allCases.count))
    /// Each stage's end on the wall clock, and the process's CPU time then (all threads').
    private static let marks = Mutex<[(name: String, wall: UInt64, cpu: UInt64)]>([])

    /// Notes that the stage `name` ended now, on the wall clock; the first mark is the start.
    static func mark(_ name: String) {
        guard enabled else { return }
        let now = clock(CLOCK_MONOTONIC), cpu = clock(CLOCK_PROCESS_CPUTIME_ID)
        marks.withLock { $0.append((name, now, cpu)) }
    }

    /// Runs `body`, adding its CPU time to `part` when timings are on.
    static func measure<T, Failure: Error>(_ part: Part, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        guard enabled else { return try body() }
        let start = clock(CLOCK_THREAD_CPUTIME_ID)
        defer {
            let elapsed = clock(CLOCK_THREAD_CPUTIME_ID) - start
            nanoseconds.withLock { $0[part.rawValue] += elapsed }
        }
        return try body()
    }

    private static func clock(_ id: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(id, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The measured parts, one line each, on standard error.
    static func report() {
        guard enabled else { return }
        let figures = nanoseconds.withLock { $0 }
        for part in Part.allCases {
            FileHandle.standardError.write(Data(String(format: "quizdoc timing: %@: %.3f s CPU\n", part.name, Double(figures[part.rawValue]) / 1e9).utf8))
        }
        let marks = marks.withLock { $0 }
        guard let (_, start, startCPU) = marks.first else { return }
        // The start on the monotonic clock too, which a harness reads around the process:
        // what went before `main` (loading the program) and after it (its teardown).
        FileHandle.standardError.write(Data("quizdoc timing: started at \(start) ns monotonic\n".utf8))
        // With the CPU time all threads took since the start: on two cores, a stage whose CPU
        // grew by less than twice its wall time left one idle part of the while.
        for (name, time, cpu) in marks.dropFirst() {
            FileHandle.standardError.write(Data(String(format: "quizdoc timing: %@ ended at %.2f ms wall, %.2f ms CPU\n", name,
                                                       Double(time - start) / 1e6, Double(cpu - startCPU) / 1e6).utf8))
        }
    }
}
