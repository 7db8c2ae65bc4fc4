// Command pdfengines extracts the text of PDF files with the candidate
// engines that matcher/document's engine was chosen against, one JSON line
// per file, for scripts/bench/document_fidelity.py. It is a module of its
// own so that jobmatch does not depend on the candidates.
//
//	go run . ENGINE FILE...   (ENGINE: ledongthuc, dslipak, pdfium)
//
// Panics of an engine are recovered and reported as errors.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"bytes"
	dslipak "github.com/dslipak/pdf"
	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	ledongthuc "github.com/ledongthuc/pdf"
)

type result struct {
	File    string  `json:"file"`
	Text    string  `json:"text"`
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds"`
}

func main() {
	engine := os.Args[1]
	var extract func([]byte) (string, error)
	switch engine {
	case "ledongthuc":
		extract = func(b []byte) (string, error) {
			return plainText(ledongthuc.NewReader(bytes.NewReader(b), int64(len(b))))
		}
	case "dslipak":
		extract = func(b []byte) (string, error) {
			return plainText(dslipak.NewReader(bytes.NewReader(b), int64(len(b))))
		}
	case "pdfium":
		start := time.Now()
		pool, err := webassembly.Init(webassembly.Config{MinIdle: 1, MaxIdle: 1, MaxTotal: 1})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		inst, err := pool.GetInstance(time.Minute)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "pdfium: wasm start %v\n", time.Since(start))
		extract = func(b []byte) (string, error) { return pdfiumText(inst, b) }
	default:
		fmt.Fprintln(os.Stderr, "unknown engine", engine)
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	for _, path := range os.Args[2:] {
		b, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		r := result{File: path}
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			r.Text, err = safely(extract, b)
			best = min(best, time.Since(start))
		}
		r.Seconds = best.Seconds()
		if err != nil {
			r.Error = err.Error()
		}
		enc.Encode(r)
	}
}

// plainText is the text of the rsc.io/pdf family's readers.
func plainText[R interface{ GetPlainText() (io.Reader, error) }](r R, err error) (string, error) {
	if err != nil {
		return "", err
	}
	rd, err := r.GetPlainText()
	if err != nil {
		return "", err
	}
	t, err := io.ReadAll(rd)
	return string(t), err
}

func safely(f func([]byte) (string, error), b []byte) (s string, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("panic: %v", x)
		}
	}()
	return f(b)
}

func pdfiumText(inst pdfium.Pdfium, b []byte) (string, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &b})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	n, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	for i := 0; i < n.PageCount; i++ {
		t, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return "", err
		}
		sb.WriteString(t.Text)
		sb.WriteString("\n\n")
	}
	return sb.String(), nil
}
