package wordpiece_test

import (
	"testing"

	"github.com/jobmatch/jobmatch/sbert/sberttest"
	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

// Keyword phrases as the matcher embeds them.
var benchPhrases = []string{
	"machine learning", "data scientist", "Python", "deep neural networks", "SQL Server",
	"natural language processing", "end-to-end ML pipelines", "Node.js", "résumé screening",
	"A/B testing", "cloud computing AWS", "statistical modeling", "Tableau dashboards",
	"project management", "TensorFlow", "customer segmentation",
}

func benchDoc(b *testing.B) string {
	for _, c := range readEncodeGolden(b).Cases {
		if c.Kind == "resume_doc" && len(c.Text) > 5000 {
			return c.Text
		}
	}
	b.Fatal("no long resume in the golden")
	return ""
}

func BenchmarkAppendEncodePhrase(b *testing.B) {
	tok := loadModel(b)
	var dst []int32
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		dst = tok.AppendEncode(dst[:0], benchPhrases[i%len(benchPhrases)])
	}
}

func BenchmarkEncodePhrase(b *testing.B) {
	tok := loadModel(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		tok.Encode(benchPhrases[i%len(benchPhrases)])
	}
}

func BenchmarkAppendEncodeDocument(b *testing.B) {
	tok := loadModel(b)
	doc := benchDoc(b)
	var dst []int32
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		dst = tok.AppendEncode(dst[:0], doc)
	}
}

// BenchmarkTokenizeDocument encodes a whole resume without truncation.
func BenchmarkTokenizeDocument(b *testing.B) {
	tok := loadModel(b)
	doc := benchDoc(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		tok.Tokenize(doc)
	}
}

func BenchmarkEncodeBatchInto(b *testing.B) {
	tok := loadModel(b)
	var batch wordpiece.Batch
	b.ReportAllocs()
	for b.Loop() {
		tok.EncodeBatchInto(&batch, benchPhrases)
	}
}

func BenchmarkLoad(b *testing.B) {
	dir := sberttest.ModelDir(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := wordpiece.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
