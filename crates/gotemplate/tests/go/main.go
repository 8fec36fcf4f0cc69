// Command gotemplate renders template cases with Go's text/template, the
// reference the Rust crate gotemplate (crates/gotemplate) is compared against.
//
// It reads a JSON list of cases on stdin and writes a JSON list of results
// (output or error, one per case, same order) on stdout.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/template"
)

type testCase struct {
	Name      string            `json:"name"`
	Templates map[string]string `json:"templates"`
	Entry     string            `json:"entry"`
	Data      json.RawMessage   `json:"data"`
	Ints      bool              `json:"ints"`
	Option    string            `json:"option"`
	// Methods adds .Files, a value with methods, as Helm's objects have.
	Methods bool `json:"methods"`
}

// files stands in for Helm's .Files: a value whose methods templates call.
type files struct{}

func (files) Get(name string) string { return "content of " + name }
func (files) Names() []any           { return []any{"a.txt", "b.txt"} }
func (f files) Sub() files           { return f }

type result struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// funcs are the custom functions the corpus uses; the Rust test registers
// the same ones.
var funcs = template.FuncMap{
	"fail":  func(msg string) (string, error) { return "", errors.New(msg) },
	"upper": strings.ToUpper,
	"list":  func(items ...any) []any { return items },
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "reading cases:", err)
		os.Exit(2)
	}
	results := make([]result, 0, len(cases))
	for _, c := range cases {
		out, err := render(c)
		r := result{Name: c.Name}
		if err != nil {
			msg := err.Error()
			r.Error = &msg
		} else {
			r.Output = &out
		}
		results = append(results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "writing results:", err)
		os.Exit(2)
	}
}

func render(c testCase) (string, error) {
	data, err := decode(c.Data, c.Ints)
	if err != nil {
		return "", err
	}
	if m, ok := data.(map[string]any); ok && c.Methods {
		m["Files"] = files{}
	}
	root := template.New("").Funcs(funcs)
	if c.Option != "" {
		root.Option(c.Option)
	}
	names := make([]string, 0, len(c.Templates))
	for name := range c.Templates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := root.New(name).Parse(c.Templates[name]); err != nil {
			return "", err
		}
	}
	var buf bytes.Buffer
	if err := root.ExecuteTemplate(&buf, c.Entry, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// decode reads JSON as Go does (numbers are float64), or, with ints, turns
// integral numbers into int.
func decode(raw json.RawMessage, ints bool) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if ints {
		dec.UseNumber()
	}
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return toInts(v), nil
}

func toInts(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = toInts(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = toInts(x[k])
		}
	}
	return v
}
