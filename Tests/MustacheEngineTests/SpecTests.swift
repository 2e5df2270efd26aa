import Foundation
import MustacheEngine
import Testing

/// The official Mustache specification's tests (`spec/`, MIT, copied unchanged from the
/// mustache/spec repository). The core modules and inheritance pass whole. Of the modules
/// the engine does not support, set delimiters and dynamic names are refused with a located
/// syntax error; lambdas cannot be expressed at all (`TemplateValue` has no function case),
/// so `~lambdas.json` is not run.
@Suite struct SpecTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var name: String
        var template: String
        var partials: [String: String]
        var data: TemplateValue
        var expected: String

        var testDescription: String { "\(file): \(name)" }
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("spec")

    /// JSON as the engine's values: numbers as the text JSON writes them, null as absent.
    enum JSON: Decodable {
        case null, flag(Bool), number(String), text(String), list([JSON]), object([String: JSON])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
            else if let number = try? container.decode(Int.self) { self = .number(String(number)) }
            else if let number = try? container.decode(Double.self) { self = .number(String(number)) }
            else if let text = try? container.decode(String.self) { self = .text(text) }
            else if let list = try? container.decode([JSON].self) { self = .list(list) }
            else { self = .object(try container.decode([String: JSON].self)) }
        }

        var value: TemplateValue? {
            switch self {
            case .null: nil
            case .flag(let flag): .flag(flag)
            case .number(let text), .text(let text): .text(text)
            case .list(let items): .list(items.map { $0.value ?? .flag(false) })
            case .object(let fields): .object(TemplateObject(fields.compactMapValues(\.value)))
            }
        }
    }

    struct File: Decodable {
        struct Test: Decodable {
            var name: String
            var template: String
            var partials: [String: String]?
            var data: JSON
            var expected: String
        }
        var tests: [Test]
    }

    static func cases(_ file: String) -> [Case] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("\(file).json")),
              let decoded = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return decoded.tests.map { test in
            Case(file: file, name: test.name, template: test.template, partials: test.partials ?? [:],
                 data: test.data.value ?? .flag(false), expected: test.expected)
        }
    }

    static let supported = ["comments", "interpolation", "sections", "inverted", "partials", "~inheritance"]
    static let refused = ["delimiters", "~dynamic-names"]

    @Test func theSuiteIsThere() {
        for file in Self.supported + Self.refused + ["~lambdas"] {
            #expect(!Self.cases(file).isEmpty, "spec/\(file).json is missing or empty")
        }
    }

    @Test(arguments: supported.flatMap(cases))
    func supportedModulesPass(_ test: Case) throws {
        var library = TemplateLibrary()
        library.register(try Template(test.template), named: "test")
        for (name, partial) in test.partials {
            library.register(try Template(partial), named: name)
        }
        #expect(String(decoding: library.render("test", test.data), as: UTF8.self) == test.expected)
    }

    /// Every test of a refused module has a template (or partial) the engine refuses at a
    /// place, or needs no feature of that module and passes.
    @Test(arguments: refused.flatMap(cases))
    func refusedModulesAreRefusedAtAPlace(_ test: Case) throws {
        var library = TemplateLibrary()
        do {
            library.register(try Template(test.template), named: "test")
            for (name, partial) in test.partials {
                library.register(try Template(partial), named: name)
            }
        } catch {
            #expect(error.line >= 1 && error.column >= 1)
            #expect(error.message.contains("not supported"), "\(error.message)")
            return
        }
        #expect(String(decoding: library.render("test", test.data), as: UTF8.self) == test.expected)
    }
}
