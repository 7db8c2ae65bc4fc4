package yake

import (
	"maps"
	"slices"
	"strings"
	"testing"
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
