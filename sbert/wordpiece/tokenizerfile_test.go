package wordpiece

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// taggedFile is tokenizerFile as json.Unmarshal would fill it from tags,
// the way the loader read tokenizer.json before decode.
type taggedFile struct {
	AddedTokens json.RawMessage `json:"added_tokens"`
	Normalizer  *struct {
		Type      string `json:"type"`
		CleanText *bool  `json:"clean_text"`
	} `json:"normalizer"`
	PreTokenizer *struct {
		Type string `json:"type"`
	} `json:"pre_tokenizer"`
	Model *struct {
		Type                 string `json:"type"`
		UNK                  string `json:"unk_token"`
		Prefix               string `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord int    `json:"max_input_chars_per_word"`
	} `json:"model"`
}

// TestTokenizerFileAsUnmarshal holds decode to json.Unmarshal into
// taggedFile: the same values, and an error for the same inputs.
func TestTokenizerFileAsUnmarshal(t *testing.T) {
	real, err := os.ReadFile("testdata/tiny/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []string{
		string(real), `{}`, `null`, `{"model":null}`, `{"model":{}}`, `{"model":[]}`, `{"model":5}`, `[]`, `{`,
		`{"model":{"type":"WordPiece","vocab":{"a":0,"b":1,"c":[1,{"x":"}"}]},"unk_token":"[UNK]","max_input_chars_per_word":100}}`,
		`{"model":{"type":7}}`, `{"model":{"max_input_chars_per_word":1.5}}`, `{"model":{"max_input_chars_per_word":"9"}}`,
		`{"\u006dodel":{"t\u0079pe":"BPE"}}`, `{"normalizer":{"type":"BertNormalizer","clean_text":false},"pre_tokenizer":null}`,
		`{"normalizer":"x"}`, `{"added_tokens":[{"content":"[X]"}],"added_tokens":null}`, `{"added_tokens":{"a":1}}`,
		`{"model":{"type":"WordPiece","vocab":{"a":0,}}}`, `{"model":{"type":"WordPiece"}} x`,
		`{"MODEL":{"TYPE":"BPE"}}`, `{"mOdel":{"type":"BPE"},"model":{"unk_token":"[U]"}}`, `{"Model":{"Type":"WordPiece"},"model":null}`,
	}
	for _, c := range cases {
		var got tokenizerFile
		var want taggedFile
		gotErr, wantErr := got.decode([]byte(c)), json.Unmarshal([]byte(c), &want)
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%.80s: decode error %v, json.Unmarshal error %v", c, gotErr, wantErr)
			continue
		}
		if gotErr != nil {
			continue
		}
		if g, w := describe(got), describeTagged(want); g != w {
			t.Errorf("%.80s: decode gives %s, json.Unmarshal %s", c, g, w)
		}
	}
}

func describe(f tokenizerFile) string {
	s := fmt.Sprintf("added %s", f.AddedTokens)
	if n := f.Normalizer; n != nil {
		s += fmt.Sprintf(" normalizer %q %v", n.Type, n.CleanText != nil && *n.CleanText)
	}
	if p := f.PreTokenizer; p != nil {
		s += fmt.Sprintf(" pre_tokenizer %q", p.Type)
	}
	if m := f.Model; m != nil {
		s += fmt.Sprintf(" model %+v", *m)
	}
	return s
}

func describeTagged(f taggedFile) string {
	d := tokenizerFile{AddedTokens: f.AddedTokens, Normalizer: f.Normalizer, PreTokenizer: f.PreTokenizer}
	if m := f.Model; m != nil {
		d.Model = &wordPieceModel{m.Type, m.UNK, m.Prefix, m.MaxInputCharsPerWord}
	}
	return describe(d)
}
