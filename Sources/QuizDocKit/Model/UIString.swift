/// The words quizdoc itself writes around the authors' texts. Their translations live in
/// `templates/strings/<language>.yaml`, one file per language, so adding a language is a
/// data change. `{name}` marks a value filled in by quizdoc.
public enum UIString: String, CaseIterable, Sendable {
    case languageName = "language_name"
    case mirrorGenerated = "mirror_generated"
    case phaseHeading = "phase_heading"
    case mirrorNote = "mirror_note"
    case sourceOfTruth = "source_of_truth"
    case answer
    case freeMark = "free_mark"
    case choiceLeadOne = "choice_lead_one"
    case choiceLeadMany = "choice_lead_many"
    case listAnd = "list_and"
    case untranslatedInline = "untranslated_inline"
    case untranslatedBlock = "untranslated_block"
    case siteTitle = "site_title"
    case siteIntro = "site_intro"
    case phaseLink = "phase_link"
    case questionCount = "question_count"
    case questionCountOne = "question_count_one"
    case home
    case previousPhase = "previous_phase"
    case nextPhase = "next_phase"
    case permalink
    case languageSwitcher = "language_switcher"
    case notFoundTitle = "not_found_title"
    case notFoundText = "not_found_text"
    case searchLabel = "search_label"
    case searchPlaceholder = "search_placeholder"
    case searchNoResults = "search_no_results"
    case skipToContent = "skip_to_content"
}
