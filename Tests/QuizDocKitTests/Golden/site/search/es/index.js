quizdocSearch("es/index",{"format":1,"language":"es","stopwords":["a","al","como","con","cual","de","del","el","en","entre","es","esta","este","hay","la","las","lo","los","mas","o","para","pero","por","que","se","si","sin","sobre","son","su","sus","un","una","y"],
"chunks":["aun"],
"phases":[[3,3],[7,1]]});
