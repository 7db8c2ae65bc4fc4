package yake

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
)

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ want, text string }{
		{"en", "Data scientist with five years of experience in machine learning for retail. I built demand forecasting and churn models with Python and SQL, and worked with the product team to define metrics."},
		{"pt", "Cientista de dados com cinco anos de experiência em aprendizado de máquina para o varejo. Desenvolvi modelos de previsão de demanda e de churn com Python e SQL, e trabalhei com a equipe de produto."},
		{"de", "Datenwissenschaftlerin mit fünf Jahren Erfahrung im maschinellen Lernen für den Handel. Ich habe Modelle für die Nachfrageprognose mit Python und SQL gebaut und mit dem Produktteam an den Kennzahlen gearbeitet."},
		{"es", "Científica de datos con cinco años de experiencia en aprendizaje automático para el comercio minorista. Desarrollé modelos de previsión de demanda con Python y SQL y trabajé con el equipo de producto en las métricas."},
		{"fr", "Data scientist avec cinq ans d'expérience en apprentissage automatique pour la grande distribution. J'ai construit des modèles de prévision de la demande avec Python et SQL et j'ai travaillé avec l'équipe produit sur les indicateurs."},
		{"it", "Data scientist con cinque anni di esperienza nell'apprendimento automatico per la grande distribuzione. Ho sviluppato modelli di previsione della domanda con Python e SQL e ho lavorato con il team di prodotto sulle metriche."},
		{"nl", "Datawetenschapper met vijf jaar ervaring in machine learning voor de detailhandel. Ik heb modellen voor vraagvoorspelling gebouwd met Python en SQL en heb met het productteam aan de meetwaarden gewerkt."},
		// Too short, or names without stopwords: unsure.
		{"", "Python, SQL, Spark"},
		{"", "Python SQL Spark Kubernetes Docker Airflow Tableau pandas NumPy scikit-learn XGBoost PostgreSQL BigQuery Git Jupyter"},
		{"", ""},
	}
	for _, tt := range tests {
		got, share := DetectLanguage(tt.text)
		if got != tt.want {
			t.Errorf("DetectLanguage(%.40q…) = %q (share %.2f), want %q", tt.text, got, share, tt.want)
		}
	}
}

func TestLanguagesAndStopwords(t *testing.T) {
	langs := Languages()
	if !slices.Contains(langs, "en") || !slices.Contains(langs, "pt") || slices.Contains(langs, "noLang") || !slices.IsSorted(langs) {
		t.Errorf("Languages() = %q, want the sorted list codes with en and pt, without noLang", langs)
	}
	for _, tt := range []struct {
		lang, word string
		want       bool
	}{{"en", "the", true}, {"en", "The", true}, {"en", "python", false}, {"pt", "para", true}, {"en", "para", false}, {"xx", "the", false}, {"en", "", false}} {
		if got := IsStopword(tt.lang, tt.word); got != tt.want {
			t.Errorf("IsStopword(%q, %q) = %v, want %v", tt.lang, tt.word, got, tt.want)
		}
	}
	// Every list's own words are detected as that list's language, or as
	// one whose list holds as many of them.
	for _, code := range langs {
		text := strings.Join(slices.Sorted(maps.Keys(stopwordSet(code))), " ")
		if got, _ := DetectLanguage(text); got == "" {
			t.Errorf("the %s stopwords are detected as no language", code)
		}
	}
}

// detectByLists is the reference of DetectLanguage: every list in turn,
// every word looked up in each.
func detectByLists(text string) (lang string, share float64) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && r != '\''
	})
	if len(words) < MinDetectWords {
		return "", 0
	}
	best := 0
	for _, code := range Languages() {
		if code == "br" {
			continue
		}
		sets := []map[string]struct{}{stopwordSet(code)}
		if code == "pt" {
			sets = append(sets, stopwordSet("br"))
		}
		n := 0
		for _, w := range words {
			for _, set := range sets {
				if _, ok := set[w]; ok {
					n++
					break
				}
			}
		}
		if n > best || (n == best && code == "en") {
			lang, best = code, n
		}
	}
	share = float64(best) / float64(len(words))
	if share < minDetectShare {
		return "", share
	}
	return lang, share
}

// TestDetectLanguageAsLists holds DetectLanguage to its reference on every
// list's own words, mixtures of lists (ties included) and the golden texts.
func TestDetectLanguageAsLists(t *testing.T) {
	var texts []string
	langs := Languages()
	for i, code := range langs {
		words := slices.Sorted(maps.Keys(stopwordSet(code)))
		texts = append(texts, strings.Join(words, " "))
		other := slices.Sorted(maps.Keys(stopwordSet(langs[(i+7)%len(langs)])))
		texts = append(texts, strings.Join(words[:min(20, len(words))], " ")+" "+strings.Join(other[:min(20, len(other))], " "))
	}
	// A tie: as many stopwords of English alone as of German alone.
	only := func(code string) []string {
		var out []string
		for _, w := range slices.Sorted(maps.Keys(stopwordSet(code))) {
			if stopwordIndex().lists[w]&(stopwordIndex().lists[w]-1) == 0 { // in one list
				out = append(out, w)
			}
		}
		return out[:12]
	}
	texts = append(texts, strings.Join(only("de"), " ")+" "+strings.Join(only("en"), " "))
	var corpus corpusFile // 374 documents in many languages
	sberttest.ReadGzipJSON(t, "testdata/generated/corpus_v073.json.gz", &corpus)
	for _, d := range corpus.Docs {
		texts = append(texts, d.Text)
	}
	for _, text := range texts {
		gl, gs := DetectLanguage(text)
		wl, ws := detectByLists(text)
		if gl != wl || gs != ws {
			t.Errorf("DetectLanguage(%.60q…) = %q, %v; the lists give %q, %v", text, gl, gs, wl, ws)
		}
	}
}

func FuzzDetectLanguage(f *testing.F) {
	f.Add("the of and para de la the le der die das para para the")
	f.Add("Cientista de dados com cinco anos de experiência em aprendizado de máquina")
	f.Fuzz(func(t *testing.T, text string) {
		gl, gs := DetectLanguage(text)
		if wl, ws := detectByLists(text); gl != wl || gs != ws {
			t.Fatalf("DetectLanguage(%q) = %q, %v; the lists give %q, %v", text, gl, gs, wl, ws)
		}
	})
}

// BenchmarkDetectLanguage measures detection on a 300-word posting: the
// index and, as "lists", the list-by-list reference it replaced.
func BenchmarkDetectLanguage(b *testing.B) {
	text, err := os.ReadFile("testdata/bench/ad_300w.txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []struct {
		name   string
		detect func(string) (string, float64)
	}{{"index", DetectLanguage}, {"lists", detectByLists}} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				impl.detect(string(text))
			}
		})
	}
}
