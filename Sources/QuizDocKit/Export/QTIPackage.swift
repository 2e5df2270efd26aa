import Foundation
import MustacheEngine

/// An IMS QTI 2.1 content package per phase and language: `imsmanifest.xml` (IMS CP 1.1) and
/// one `assessmentItem` per question, valid against the published XSDs. A choice question
/// is a `choiceInteraction` (`maxChoices` 1, or 0 for several) with its correct response and
/// the explanation as feedback; a free question an `extendedTextInteraction` with the model
/// answer as a rubric for the scorer and as feedback.
enum QTIPackage {
    static func package(_ phase: ExportPhase, language: Language) throws -> Data {
        let items = phase.items[language.code] ?? []
        var entries: [(path: String, contents: Data)] = [("imsmanifest.xml", Data(manifest(phase, items: items, language: language).utf8))]
        for item in items {
            entries.append(("items/\(item.html.id).xml", Data(assessmentItem(item, language: language).utf8)))
        }
        return try ZipArchive.make(entries)
    }

    static func manifest(_ phase: ExportPhase, items: [ExportPhase.Item], language: Language) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        identifier="MANIFEST-\(phase.quiz.baseName)-\(language.code)" \
        xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd">
          <metadata>
            <schema>QTIv2.1 Package</schema>
            <schemaversion>1.0.0</schemaversion>
          </metadata>
          <organizations/>
          <resources>

        """
        for item in items {
            let href = "items/\(item.html.id).xml"
            xml += "    <resource identifier=\"RES-\(item.html.id)\" type=\"imsqti_item_xmlv2p1\" href=\"\(href)\">\n"
            xml += "      <file href=\"\(href)\"/>\n    </resource>\n"
        }
        return xml + "  </resources>\n</manifest>\n"
    }

    static func assessmentItem(_ item: ExportPhase.Item, language: Language) -> String {
        let html = item.html
        let free = html.kind == .free
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd" \
        identifier="\(html.id)" title="\(HTML.escape(plainText(html.title)))" adaptive="false" timeDependent="false" xml:lang="\(language.code)">

        """
        if free {
            xml += "  <responseDeclaration identifier=\"RESPONSE\" cardinality=\"single\" baseType=\"string\"/>\n"
        } else {
            xml += "  <responseDeclaration identifier=\"RESPONSE\" cardinality=\"\(html.kind == .single ? "single" : "multiple")\" baseType=\"identifier\">\n"
            xml += "    <correctResponse>\n" + html.correct.map { "      <value>C\($0)</value>\n" }.joined() + "    </correctResponse>\n"
            xml += "  </responseDeclaration>\n"
        }
        xml += "  <outcomeDeclaration identifier=\"SCORE\" cardinality=\"single\" baseType=\"float\"/>\n"
        xml += "  <outcomeDeclaration identifier=\"FEEDBACK\" cardinality=\"single\" baseType=\"identifier\"/>\n"
        xml += "  <itemBody>\n    <div class=\"prompt\">\n\(xhtml(html.prompt))    </div>\n"
        if free {
            xml += "    <rubricBlock view=\"scorer\">\n\(xhtml(html.answer + html.expected))    </rubricBlock>\n"
            xml += "    <extendedTextInteraction responseIdentifier=\"RESPONSE\" expectedLines=\"6\"/>\n"
        } else {
            xml += "    <choiceInteraction responseIdentifier=\"RESPONSE\" shuffle=\"false\" maxChoices=\"\(html.kind == .single ? 1 : 0)\">\n"
            for (index, choice) in html.choices.enumerated() {
                xml += "      <simpleChoice identifier=\"C\(index + 1)\">\(xhtml(choice))</simpleChoice>\n"
            }
            xml += "    </choiceInteraction>\n"
        }
        xml += "  </itemBody>\n  <responseProcessing>\n"
        if !free {
            xml += """
                <responseCondition>
                  <responseIf>
                    <match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match>
                    <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
                  </responseIf>
                  <responseElse>
                    <setOutcomeValue identifier="SCORE"><baseValue baseType="float">0</baseValue></setOutcomeValue>
                  </responseElse>
                </responseCondition>

            """
        }
        xml += "    <setOutcomeValue identifier=\"FEEDBACK\"><baseValue baseType=\"identifier\">ANSWER</baseValue></setOutcomeValue>\n"
        xml += "  </responseProcessing>\n"
        xml += "  <modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"ANSWER\" showHide=\"show\">\n\(xhtml(html.answer))  </modalFeedback>\n"
        return xml + "</assessmentItem>\n"
    }

    /// The site's HTML as QTI's XHTML subset: `lang` as `xml:lang`, no `align` or `data-`
    /// attributes, struck-out text as a classed span (QTI has no `del`).
    static func xhtml(_ html: String) -> String {
        var out = html
        // Most texts have none of these: look (on the UTF-8, not through Foundation) before
        // rewriting; a regular expression per text cost seconds on a large course.
        func has(_ needle: StaticString) -> Bool {
            needle.withUTF8Buffer { needle in
                out.withUTF8 { bytes in
                    guard bytes.count >= needle.count else { return false }
                    for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                        if (1..<needle.count).allSatisfy({ bytes[start + $0] == needle[$0] }) { return true }
                    }
                    return false
                }
            }
        }
        if has(" lang=\"") { out = out.replacingOccurrences(of: " lang=\"", with: " xml:lang=\"") }
        if has(" align=\"") || has(" data-") {
            out = out.replacingOccurrences(of: #" (align|data-[a-z-]+)="[^"]*""#, with: "", options: .regularExpression)
        }
        if has("<del>") {
            out = out.replacingOccurrences(of: "<del>", with: "<span class=\"del\">").replacingOccurrences(of: "</del>", with: "</span>")
        }
        return out.hasSuffix("\n") || out.isEmpty ? out : out + "\n"
    }
}
