import Testing
@testable import YAMLReader
import QuizDocKit

/// The benchmark corpora, both styles, are read by the fast YAML reader, not by libyaml:
/// a change to the generator or the reader that sends them back to libyaml shows here,
/// not only as a slower `make bench`.
@Suite struct FastYAMLPathTests {
    @Test(arguments: CorpusGenerator.Style.allCases)
    func theCorpusIsReadWithoutLibyaml(_ style: CorpusGenerator.Style) {
        for file in CorpusGenerator(phases: 3, style: style).files() {
            let tree = SimpleYAML.compose(file.yaml, maxDepth: Limits.yamlDepth)
            #expect(tree != nil, "\(style) \(file.name) fell back to libyaml")
            if let tree, case .success(let slow) = YAMLComposer.composeWithLibyaml(file.yaml, maxDepth: Limits.yamlDepth) {
                #expect(tree.isSameTree(as: slow), "\(style) \(file.name)")
            }
        }
    }
}
