// json_oracle prints how kubectl reads a JSON stream (a source whose first
// character is '{'): Go's encoding/json Decoder, value after value, numbers
// kept as json.Number and then made int64 or float64 as the API machinery's
// ConvertMapNumbers does. One JSON line per value, in decode_dump's shape:
//
//	{"file":"a.json","doc":0,"json":{...}}
//	{"file":"a.json","doc":1,"error":"..."}
//
// A test tool for tests/integration/yaml_oracle_test.sh, never part of kspm.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

type result struct {
	File  string          `json:"file"`
	Doc   int             `json:"doc"`
	JSON  json.RawMessage `json:"json,omitempty"`
	Error string          `json:"error,omitempty"`
}

// convert turns json.Number into int64 when it is one, else float64.
func convert(v interface{}) (interface{}, error) {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i, nil
		}
		return t.Float64()
	case map[string]interface{}:
		for k, x := range t {
			c, err := convert(x)
			if err != nil {
				return nil, err
			}
			t[k] = c
		}
	case []interface{}:
		for i, x := range t {
			c, err := convert(x)
			if err != nil {
				return nil, err
			}
			t[i] = c
		}
	}
	return v, nil
}

func main() {
	out := json.NewEncoder(os.Stdout)
	for _, f := range os.Args[1:] {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		for i := 0; ; i++ {
			var v interface{}
			err := d.Decode(&v)
			if err == io.EOF {
				break
			}
			if err == nil {
				v, err = convert(v)
			}
			if err != nil {
				out.Encode(result{File: f, Doc: i, Error: err.Error()})
				break
			}
			j, _ := json.Marshal(v)
			out.Encode(result{File: f, Doc: i, JSON: j})
		}
	}
}
