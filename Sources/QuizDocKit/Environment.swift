import Foundation

/// The process's environment, one variable at a time.
public enum Environment {
    /// The value of the variable `name`, read where it is (`getenv`): `ProcessInfo`'s
    /// `environment` makes a dictionary of every variable on each call, and a build asked
    /// for one four times (0.3 M of a one-question edit's 115 M instructions).
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
