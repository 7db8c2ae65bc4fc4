package wordpiece_test

import (
	"fmt"

	"github.com/jobmatch/jobmatch/sbert/wordpiece"
)

func Example() {
	// A real model comes with wordpiece.Load(dir); a toy vocabulary shows
	// the steps.
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "machine", "learn", "##ing", "-", "resume", "東", "京"}
	tok, err := wordpiece.New(vocab, wordpiece.Config{LowerCase: true, TokenizeCJK: true, MaxLen: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.Tokenize("Machine-Learning Résumé\u200b 東京 unknown"))
	fmt.Println(tok.Encode("Machine-Learning Résumé\u200b 東京 unknown"))

	b := tok.EncodeBatch([]string{"résumé", "machine learning"})
	for i := range b.Size {
		ids, mask := b.Row(i)
		fmt.Println(ids, mask)
	}
	// Output:
	// [machine - learn ##ing resume 東 京 [UNK]]
	// [2 4 7 5 6 8 9 3]
	// [2 8 3 0 0] [1 1 1 0 0]
	// [2 4 5 6 3] [1 1 1 1 1]
}
