package yake_test

import (
	"context"
	"fmt"
	"log"

	"github.com/jobmatch/jobmatch/yake"
)

func Example() {
	e, err := yake.New(yake.DefaultOptions())
	if err != nil {
		log.Fatal(err)
	}
	text := "Google is acquiring data science community Kaggle. Sources tell us that " +
		"Google is acquiring Kaggle, a platform that hosts data science and machine learning competitions."
	kws, err := e.Extract(context.Background(), text)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range kws[:5] {
		fmt.Printf("%-30s %.4f\n", k.Text, k.Score)
	}
	// The outputs below are those of Python yake 0.7.3 on the same input.

	// Output:
	// science community Kaggle       0.0229
	// community Kaggle               0.0478
	// data science community         0.0634
	// Google is acquiring            0.0659
	// acquiring Kaggle               0.0743
}

func ExampleExtractor_Highlight() {
	o := yake.DefaultOptions()
	o.MaxNGram = 2
	o.Top = 3
	e, err := yake.New(o)
	if err != nil {
		log.Fatal(err)
	}
	text := "Machine learning models need data. Good data makes machine learning work."
	kws, err := e.Extract(context.Background(), text)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Highlight(text, kws))
	// Output:
	// <kw>Machine learning</kw> models need data. Good data makes <kw>machine learning</kw> work.
}

func ExampleNew_options() {
	o := yake.DefaultOptions()
	o.Language = "pt"
	o.MaxNGram = 1
	o.Top = 3
	o.DedupFunc = "levs"
	e, err := yake.New(o)
	if err != nil {
		log.Fatal(err)
	}
	kws, err := e.Extract(context.Background(), "O Benfica venceu o Porto no estádio da Luz. O Porto perdeu com o Benfica.")
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range kws {
		fmt.Println(k.Text)
	}
	// Output:
	// Luz
	// Benfica
	// Porto
}
