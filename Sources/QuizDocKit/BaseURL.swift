import Foundation

/// The site's absolute URL, as `--base-url` gives it: http or https, a host, no white space,
/// credentials, query or fragment. Scheme and host are case-insensitive and come out
/// lowercased; the path ends in `/`.
public enum BaseURL {
    public static func parse(_ text: String) -> Result<String, BaseURLError> {
        func fail(_ reason: String) -> Result<String, BaseURLError> { .failure(BaseURLError(reason: reason)) }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return fail("it contains white space or a control character")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return fail("it is not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else { return fail("its scheme is '\(scheme)', not http or https") }
        guard let host = components.host, !host.isEmpty else { return fail("it has no host") }
        guard components.user == nil, components.password == nil else { return fail("it carries a user name or password") }
        guard components.query == nil else { return fail("it has a query ('?…')") }
        guard components.fragment == nil else { return fail("it has a fragment ('#…')") }
        var normalized = components
        normalized.scheme = scheme
        normalized.host = host.lowercased()
        if !normalized.path.hasSuffix("/") { normalized.path += "/" }
        guard let string = normalized.string else { return fail("it is not an absolute URL") }
        return .success(string)
    }
}

public struct BaseURLError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
