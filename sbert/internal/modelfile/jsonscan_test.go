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
	var want map[string]json.RawMessage
	// Nested, as the loaders use it: a repeated object adds its members.
	var nested struct {
		Model *map[string]json.RawMessage `json:"model"`
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
	for i, name := range names {
		w, ok := want[name]
		if path, member, dot := strings.Cut(name, "."); dot {
			if ok = nested.Model != nil && path == "model"; ok {
				w = (*nested.Model)[member]
			}
		}
		if ok && !bytes.Equal(got[i], w) {
			t.Fatalf("Members(%q)[%q] = %q, json.Unmarshal says %q", data, name, got[i], w)
		}
	}
}
