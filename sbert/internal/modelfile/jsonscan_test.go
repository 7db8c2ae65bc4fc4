package modelfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var jsonCases = []string{
	``, ` `, `{}`, `[]`, `{"a":1}`, ` {"a" : [1, 2.5e-3, -0, true, false, null, "x\u00e9\n"]} `,
	`{"a":{"b":[{}]},"c":"}"}`, `{"a":1,}`, `[1,]`, `{"a"}`, `{"a":}`, `{,}`, `[,1]`, `01`, `-`, `1.`, `1e`,
	`.5`, `tru`, `truex`, `nul`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\x01\"", "\"\xff\"", `"abc`, `{"a":1`,
	`[1 2]`, `{"a":1 "b":2}`, `1 2`, "\ufeff{}", `{"a":1}}`, `{"a":-01}`, `-1.5E+10`, `[[[]]]`, `{"\u0061":1,"a":2}`,
	`null`, ` null `, `{"model":{"type":"a"},"model":{"b":1}}`, `{"model":{"a":1},"model":null}`, `{"model":[]}`, `{"model":{"type":{"x":1}}}`, `{"model":{"type":"WordPiece","vocab":{"[PAD]":0,"##a":1}},"added_tokens":[]}`,
	`{"mOdel":{"type":"a"},"model":{"b":1}}`, `{"A":1,"a":2,"\u0041":3}`, `{"MODEL":{"TYPE":"x","Type":"y"}}`, `{"\u00c9":1}`, `{"ADDED_TOKENS":[],"added_to\u212aens":1}`,
}

// TestValidJSON holds validJSON to json.Valid, including encoding/json's
// limit on nesting.
func TestValidJSON(t *testing.T) {
	cases := append([]string{}, jsonCases...)
	cases = append(cases, strings.Repeat("[", maxDepth)+strings.Repeat("]", maxDepth),
		strings.Repeat("[", maxDepth+1)+strings.Repeat("]", maxDepth+1))
	for _, c := range cases {
		if _, got := validJSON([]byte(c)); got != json.Valid([]byte(c)) {
			t.Errorf("validJSON(%.60q) = %v, json.Valid says %v", c, got, !got)
		}
	}
}

// TestMembers holds Members to unmarshalling into a map of raw values.
func TestMembers(t *testing.T) {
	for _, c := range jsonCases {
		checkMembers(t, []byte(c))
	}
}

func FuzzMembers(f *testing.F) {
	for _, c := range jsonCases {
		f.Add([]byte(c))
	}
	f.Fuzz(checkMembers)
}

func checkMembers(t *testing.T, data []byte) {
	if _, ok := validJSON(data); ok != json.Valid(data) {
		t.Fatalf("validJSON(%q) = %v, json.Valid says %v", data, ok, !ok)
	}
	// As the loaders use it: into struct fields tagged with the names,
	// which encoding/json matches without regard to case, the last of
	// repeated members winning; nested, a repeated object adds its members.
	var want struct {
		A           json.RawMessage `json:"a"`
		B           json.RawMessage `json:"b"`
		Model       json.RawMessage `json:"model"`
		AddedTokens json.RawMessage `json:"added_tokens"`
		E           json.RawMessage `json:"\u00e9"`
	}
	var nested struct {
		Model *struct {
			Type json.RawMessage `json:"type"`
			A    json.RawMessage `json:"a"`
			B    json.RawMessage `json:"b"`
		} `json:"model"`
	}
	wantErr := errors.Join(json.Unmarshal(data, &want), json.Unmarshal(data, &nested))
	names := []string{"a", "b", "model", "added_tokens", "\u00e9", "model.type", "model.a", "model.b"}
	got, err := Members(data, names...)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("Members(%q): error %v, json.Unmarshal: %v", data, err, wantErr)
	}
	if err != nil {
		return
	}
	wants := [][]byte{want.A, want.B, want.Model, want.AddedTokens, want.E}
	if m := nested.Model; m != nil {
		wants = append(wants, m.Type, m.A, m.B)
	} // else the last "model" is null, which the loaders check first
	for i, w := range wants {
		if !bytes.Equal(got[i], w) {
			t.Fatalf("Members(%q)[%q] = %q, json.Unmarshal says %q", data, names[i], got[i], w)
		}
	}
}
