"""Texts written for the jobmatch YAKE goldens (jobmatch project, same licence as the repository).

Each entry: id -> (lan, kind, paragraphs). gen_golden.py uses every paragraph alone and all of
them joined by blank lines as documents.
"""

COMPOSED = {
    "news_en_1": ("en", "news", [
        "The city council of Porto Alegre approved on Tuesday a new budget of 3.2 billion reais for public "
        "transport, after a debate that lasted almost nine hours. The mayor said the plan would add 120 "
        "electric buses by 2027 and extend the night service to the northern districts.",
        "Opposition members criticised the proposal, arguing that the fare increase of 8.5% would hit low-income "
        "families hardest. \"We support electric buses, but not at the expense of the workers who depend on them,\" "
        "said councillor Ana Ribeiro.",
        "The transport secretary, Dr. Marcos Lima, replied that the subsidy for students and pensioners would "
        "remain unchanged. He added that the first 40 buses are expected in March, and that the remaining "
        "vehicles will be delivered in two batches.",
        "Analysts at the Federal University estimate that the new fleet could cut the city's transport emissions "
        "by 18 percent within five years, provided that the charging stations are built on time.",
    ]),
    "news_en_2": ("en", "news", [
        "Shares of Northwind Technologies fell 14% on Friday after the company cut its full-year revenue forecast, "
        "blaming weaker demand for data-centre hardware in Europe and Asia.",
        "Chief executive Laura Chen told analysts on a conference call that orders had slowed since July. "
        "\"Customers are taking longer to sign contracts, and some projects have been postponed into next year,\" "
        "she said. The company now expects revenue of $4.1bn to $4.3bn, down from $4.6bn.",
        "Northwind, which employs about 11,000 people, said it would reduce spending on new offices and pause "
        "hiring outside its engineering teams. It did not announce layoffs.",
        "The stock had risen by more than 60% this year on hopes that artificial intelligence would boost sales "
        "of its servers and networking equipment.",
    ]),
    "news_en_3": ("en", "news", [
        "A heatwave swept across southern Europe this week, with temperatures above 44 °C recorded in parts of "
        "Spain, Portugal and Greece. Authorities issued red alerts in 12 regions and closed schools early.",
        "Firefighters battled wildfires near Athens and on the island of Evia, where hundreds of residents were "
        "evacuated by boat. No deaths had been reported by Thursday evening.",
        "Meteorologists said the hot air mass, pushed north from the Sahara, should weaken over the weekend, "
        "although night-time temperatures would stay unusually high until Monday.",
    ]),
    "tech_en_1": ("en", "technical", [
        "A hash table stores key-value pairs in an array of buckets. The bucket of a key is chosen by a hash "
        "function, and collisions are resolved either by chaining, where each bucket holds a linked list, or by "
        "open addressing, where the table is probed for the next free slot.",
        "The load factor, the ratio of stored entries to buckets, determines the expected cost of lookups. When it "
        "exceeds a threshold such as 0.75, the table is resized, typically doubling its capacity and rehashing "
        "every entry; the amortised cost of an insertion therefore remains O(1).",
        "Robin Hood hashing reduces the variance of probe lengths by letting an inserted key displace an existing "
        "key that is closer to its home bucket. Swiss tables group buckets into blocks of 16 control bytes and "
        "compare them with SIMD instructions, so that most lookups touch a single cache line.",
    ]),
    "tech_en_2": ("en", "technical", [
        "To deploy the service, build the container image with `docker build -t matcher:1.4.2 .` and push it to "
        "the registry. The Lambda function reads its configuration from environment variables: MODEL_DIR, "
        "TOP_K (default 20) and LOG_LEVEL.",
        "Cold starts take about 1.8 s with a 512 MB memory setting; raising the memory to 1,769 MB gives the "
        "function a full vCPU and reduces the p99 latency of a warm request from 240 ms to 95 ms.",
        "Errors are returned as JSON objects with the fields code, message and request_id, e.g. "
        "{\"code\": \"INVALID_INPUT\", \"message\": \"resume is empty\"}. Retries use exponential back-off "
        "with jitter, at most 3 attempts.",
    ]),
    "tech_en_3": ("en", "technical", [
        "Gradient descent updates the parameters of a model in the direction opposite to the gradient of the loss "
        "function. With a learning rate of 1e-3 and a batch size of 64, the training of the network converged "
        "after 30 epochs.",
        "Adam keeps exponentially decaying averages of past gradients and of their squares (β₁ = 0.9, "
        "β₂ = 0.999) and divides the step by the square root of the second moment plus ε = 10⁻⁸.",
        "Weight decay, dropout (p = 0.1) and early stopping on the validation loss reduced over-fitting; the "
        "final model reached an F1-score of 0.87 on the held-out test set, versus 0.81 for logistic regression.",
    ]),
    "pt_1": ("pt", "news", [
        "O Governo português anunciou ontem um novo pacote de medidas para apoiar as famílias afetadas pela subida "
        "das rendas. O programa, que custará cerca de 900 milhões de euros, inclui um apoio mensal de até 200 "
        "euros para os agregados com rendimentos mais baixos.",
        "A ministra da Habitação explicou que as candidaturas abrem em setembro e que o pagamento será feito "
        "diretamente pela Segurança Social. \"Queremos que o apoio chegue rapidamente a quem mais precisa\", "
        "afirmou em conferência de imprensa.",
        "Os partidos da oposição consideram as medidas insuficientes e defendem a construção de mais habitação "
        "pública, sobretudo em Lisboa e no Porto, onde os preços aumentaram mais de 40% nos últimos cinco anos.",
        "As associações de inquilinos saudaram o apoio, mas alertaram para a falta de fiscalização dos contratos "
        "de arrendamento e para os despejos, que voltaram a crescer este ano.",
    ]),
    "pt_2": ("pt", "technical", [
        "A aprendizagem automática é um ramo da inteligência artificial que permite aos computadores aprender "
        "padrões a partir de dados, sem serem programados explicitamente para cada tarefa.",
        "Os modelos supervisionados, como as árvores de decisão e as redes neuronais, são treinados com exemplos "
        "rotulados. Já os métodos não supervisionados, como o agrupamento k-means, procuram estruturas em dados "
        "sem rótulos.",
        "Na Universidade do Porto, uma equipa de investigadores desenvolveu um sistema que extrai palavras-chave "
        "de documentos científicos e o avaliou em coleções em português, inglês e alemão.",
    ]),
    "de_1": ("de", "news", [
        "Die Bundesregierung hat am Mittwoch einen Gesetzentwurf zur Förderung klimafreundlicher Heizungen "
        "beschlossen. Hausbesitzer sollen beim Einbau einer Wärmepumpe künftig bis zu 70 Prozent der Kosten "
        "erstattet bekommen.",
        "Der Wirtschaftsminister sprach von einem wichtigen Schritt für den Klimaschutz. Kritiker aus der "
        "Opposition bemängelten dagegen, dass die Finanzierung ab dem Jahr 2026 noch nicht gesichert sei.",
        "Nach Angaben des Statistischen Bundesamtes werden derzeit noch rund drei Viertel aller Wohnungen in "
        "Deutschland mit Gas oder Öl beheizt. Die Umstellung gilt daher als eine der größten Aufgaben der "
        "Energiewende.",
        "Verbraucherschützer rieten, sich vor einer Entscheidung unabhängig beraten zu lassen und mehrere "
        "Angebote von Handwerksbetrieben einzuholen.",
    ]),
    "de_2": ("de", "technical", [
        "Ein Datenbankindex beschleunigt Suchanfragen, indem er die Werte einer oder mehrerer Spalten in einer "
        "sortierten Struktur ablegt, meist einem B-Baum. Dadurch muss die Datenbank nicht jede Zeile der Tabelle "
        "lesen.",
        "Jeder zusätzliche Index verlangsamt allerdings Schreibvorgänge, weil er bei jedem Einfügen, Ändern oder "
        "Löschen aktualisiert werden muss. Bereits vorhandene Indizes sollten daher regelmäßig überprüft werden.",
        "Bei zusammengesetzten Indizes ist die Reihenfolge der Spalten entscheidend: Ein Index über (Nachname, "
        "Vorname) hilft bei der Suche nach dem Nachnamen, aber kaum bei der Suche nach dem Vornamen allein.",
    ]),
    "el_1": ("el", "news", [
        "Η κυβέρνηση ανακοίνωσε χθες νέα μέτρα στήριξης για τους αγρότες που επλήγησαν από τις πλημμύρες στη "
        "Θεσσαλία. Οι αποζημιώσεις θα καταβληθούν μέσα στον επόμενο μήνα.",
        "Ο υπουργός Αγροτικής Ανάπτυξης δήλωσε ότι έχουν ήδη καταγραφεί περισσότερες από 12.000 αιτήσεις και "
        "ότι οι έλεγχοι στα χωράφια θα ολοκληρωθούν έως το τέλος της εβδομάδας.",
        "Οι αγροτικοί σύλλογοι ζητούν επίσης την αναστολή των δανείων και τη μείωση του κόστους της ενέργειας, "
        "καθώς πολλές εκμεταλλεύσεις έχασαν ολόκληρη τη σοδειά της χρονιάς.",
        "ΤΗΣ ΘΕΣΣΑΛΙΑΣ ΟΙ ΑΓΡΟΤΕΣ ΖΗΤΟΥΝ ΑΜΕΣΗ ΒΟΗΘΕΙΑ. Η ΠΕΡΙΦΕΡΕΙΑ ΤΗΣ ΘΕΣΣΑΛΙΑΣ ΕΧΕΙ ΜΕΓΑΛΕΣ ΖΗΜΙΕΣ.",
    ]),
    "el_2": ("el", "technical", [
        "Η μηχανική μάθηση είναι κλάδος της τεχνητής νοημοσύνης που επιτρέπει στους υπολογιστές να μαθαίνουν "
        "από δεδομένα. Τα νευρωνικά δίκτυα χρησιμοποιούνται ευρέως στην αναγνώριση εικόνας και ομιλίας.",
        "Για την εκπαίδευση ενός μοντέλου απαιτούνται μεγάλα σύνολα δεδομένων, ισχυροί επεξεργαστές και "
        "προσεκτική επιλογή των παραμέτρων.",
    ]),
    "ar_1": ("ar", "news", [
        "أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المناطق الريفية، بتكلفة إجمالية تبلغ 450 مليون "
        "دولار. وقال الوزير إن المستشفيات ستخدم أكثر من مليون مواطن.",
        "وأضاف أن الحكومة ستوظف نحو ألفي طبيب وممرض خلال العام المقبل، وأن برنامج التدريب سيبدأ في شهر سبتمبر.",
        "ورحب سكان القرى بالمشروع الجديد، لكنهم طالبوا بتحسين الطرق والمواصلات العامة للوصول إلى المستشفيات "
        "بسهولة.",
    ]),
    "ar_2": ("ar", "technical", [
        "التعلم الآلي هو فرع من فروع الذكاء الاصطناعي يسمح للحواسيب بالتعلم من البيانات دون برمجة صريحة. "
        "وتستخدم الشبكات العصبية في التعرف على الصور والكلام.",
        "يحتاج تدريب النماذج الكبيرة إلى كميات ضخمة من البيانات ومعالجات رسومية قوية، كما يتطلب اختيار المعاملات "
        "بعناية لتجنب الإفراط في التخصيص.",
    ]),
    "ko_1": ("ko", "news", [
        "정부는 오늘 청년 일자리 지원을 위한 새로운 정책을 발표했다. 이번 정책에는 중소기업에 취업한 청년에게 "
        "매달 50만 원을 지원하는 내용이 포함됐다.",
        "고용노동부 장관은 기자회견에서 내년 상반기까지 약 10만 명의 청년이 혜택을 받을 것으로 예상한다고 말했다.",
        "전문가들은 단기적인 지원보다 양질의 일자리를 늘리는 것이 더 중요하다고 지적했다.",
    ]),
    "ko_2": ("ko", "technical", [
        "기계 학습은 컴퓨터가 데이터로부터 규칙을 배우는 인공지능의 한 분야이다. 신경망은 이미지 인식과 음성 "
        "인식에 널리 사용된다.",
        "대규모 언어 모델을 학습하려면 많은 데이터와 강력한 GPU가 필요하다. 모델의 크기가 커질수록 학습 비용도 "
        "크게 증가한다.",
    ]),
    "urls_1": ("en", "urls", [
        "Documentation lives at https://docs.example.com/v2/guide?lang=en#install and the source at "
        "https://github.com/example/project. Report bugs to bugs@example.com or security@example.org.",
        "Mirror list: http://mirror1.example.net/pub/, ftp://ftp.example.net/pub/releases/1.4.2/, "
        "https://cdn.example.com/assets/app.min.js?v=20240101 and http://user:pass@intranet.local:8080/admin.",
        "Contact: Jane Doe <jane.doe@example.com>, John O'Neil (john.oneil@sub.example.co.uk) and the team at "
        "https://example.com/team/ - see also www.example.org and example.com/about.",
    ]),
    "urls_2": ("en", "urls", [
        "Apply via https://careers.example.com/jobs/12345?utm_source=board&utm_medium=email or send your CV to "
        "hr@example.com. Salary: $120,000 - $150,000 per year; 401(k) match up to 6%.",
        "Links in parentheses (https://example.com/a) and brackets [https://example.com/b] and quotes "
        "\"https://example.com/c\" and after a colon:https://example.com/d should all be handled.",
    ]),
    "numbers_1": ("en", "numbers", [
        "Q3 revenue: $1.25M (+12.5% YoY); EBITDA 18.4%; headcount 1,024 -> 1,150. Target for 2025: 2.0x.",
        "Version 3.11.7 fixed CVE-2023-40217; versions 3.8-3.10 remain affected. Build 20240509.1 passed 9,876 "
        "of 10,000 tests (98.76%).",
        "Temperatures ranged from -12 °C to +38 °C; pressure 1013.25 hPa; pH 7.4; concentration 5 x 10^-3 mol/L; "
        "H₂O, CO₂ and x² + y² = r².",
        "Phone: +1 (555) 123-4567; ZIP 90210; ISBN 978-3-16-148410-0; IBAN DE89 3704 0044 0532 0130 00.",
    ]),
    "punct_1": ("en", "punctuation", [
        "Skills:: Python;; SQL,, Java!!! ... and *** more *** --- see (above) [below] {elsewhere} <here>.",
        "• Managed a team of 8 • Built ETL pipelines • Reduced costs by 30% • Led migration to AWS/GCP •",
        "He said — and I quote — “it’s done”; she replied: ‘not yet…’. «Très bien», dit-il. „Gut“, sagte sie.",
        "C++/C#/F#, Node.js, .NET, ASP.NET, R&D, AT&T, P&L, M&A, Q&A, 24/7, 9-to-5, e-mail, E-Mail, EMAIL.",
        "I can't, won't, shouldn't; they'd've; O'Neil's and Kaggle’s. Rock'n'roll's '90s. 'Quoted' words.",
    ]),
    "mixed_1": ("en", "mixed", [
        "Our team in São Paulo, München and Αθήνα works with 東京 and 서울 partners. Café, naïve, résumé, "
        "coöperate, façade, jalapeño.",
        "ΤΗΣ ΕΤΑΙΡΕΙΑΣ, İstanbul, DŽungla, ǅemal, Straße, STRASSE, ﬁnance, ﬂow, Ⅻ, ①②③, ½, x³.",
        "Emoji in text 🚀 launches 🚀 rockets; data 📊 dashboards 📊 and 👩‍💻 engineers.",
    ]),
}
