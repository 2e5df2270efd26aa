(window.QUIZDOC_SEARCH = window.QUIZDOC_SEARCH || [])[0] = [
{"id":"q-03-01","phase":"Fase 3 — Cuestionarios","text":"Explica x.","title":"Una pregunta libre","url":"quizzes/phase-03-fixtures.html#q-03-01"},
{"id":"q-03-02","phase":"Fase 3 — Cuestionarios","text":"Elige tres. A B C D","title":"Varias","url":"quizzes/phase-03-fixtures.html#q-03-02"},
{"id":"q-03-03","phase":"Fase 3 — Cuestionarios","text":"Aún sin traducir; sigue el texto original. Only English here. Sí No","title":"Untranslated (sin traducir)","url":"quizzes/phase-03-fixtures.html#q-03-03"},
{"id":"q-07-01","phase":"Fase 7 — Cuestionarios","text":"Un enunciado. Uno Dos","title":"Un título","url":"quizzes/phase-07-testing.html#q-07-01"}
];
