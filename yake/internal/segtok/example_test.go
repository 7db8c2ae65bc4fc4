package segtok_test

import (
	"fmt"

	"github.com/jobmatch/jobmatch/yake/internal/segtok"
)

func Example() {
	text := "Dr. Smith can't join. Mail j.doe@example.org &amp; visit https://x.com/a?b=1 today."
	for _, s := range segtok.SplitMulti(text) {
		fmt.Printf("%q\n", segtok.SplitContractions(segtok.WebTokenizer(s)))
	}
	// Output:
	// ["Dr." "Smith" "ca" "n't" "join" "."]
	// ["Mail" "j.doe@example.org" "&" "visit" "https://x.com/a?b=1" "today" "."]
}
