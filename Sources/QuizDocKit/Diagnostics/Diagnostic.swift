/// One problem found in the input, with its place, its severity and a message that says
/// what is wrong and how to fix it.
public struct Diagnostic: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Error {
    public enum Severity: String, Sendable, Comparable, Codable {
        case error
        case warning

        public static func < (a: Severity, b: Severity) -> Bool {
            a == .error && b == .warning
        }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    /// `path:line:col: error: message`, the shape compilers use, so editors can jump to it.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.location, a.severity, a.message) < (b.location, b.severity, b.message)
    }
}

/// Collects the diagnostics of one run. Stages add to it and go on, so a run reports every
/// problem at once instead of stopping at the first.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(.error(at: location, message))
    }

    public mutating func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(.warning(at: location, message))
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Sorted and without repeats, ready to print.
    public var sorted: [Diagnostic] { Array(Set(diagnostics)).sorted() }
}
