quizdocSearch("es/p3",{"topic":"Fase 3 · Accesorios","page":"es/quizzes/phase-03-fixtures.html","questions":[
["q-03-01","Una pregunta libre","Explica x."],
["q-03-02","Varias","Elige tres."],
["q-03-03","Untranslated (sin traducir)","Aún sin traducir; sigue el texto original. Only English here."]
]});
