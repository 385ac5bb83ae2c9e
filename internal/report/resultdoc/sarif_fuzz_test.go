package resultdoc

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// FuzzSARIF: for any findings (rule IDs, paths, messages, severities the
// fuzzer chooses), the file is valid SARIF 2.1.0 and meets GitHub's
// requirements: every result located in the repository, fingerprints
// unique, rule indexes right.
func FuzzSARIF(f *testing.F) {
	f.Add(uint8(5), "TG101\x1funique-id\x1fSRS-1\x1fdefined twice\x1freqs/srs.yml")
	f.Add(uint8(9), "\x1f \x1f/abs\x1f../up\x1fC:\\x\x1fhttp://h/x\x1f%zz\x1f\xff\x1f\u202E\x1f(built-in default policy)\x1f[x](y)")
	// Found by the fuzzer: "\xff" and "\xae" are different rule IDs that
	// JSON writes as the same U+FFFD.
	f.Add(uint8(9), "0000000\x1f00000\x1f0000\x1f0000000000\x1f000\x1f\xff\x1f\xae\x1f")
	f.Add(uint8(30), "a:b\x1fdir with space/ü#?.yml\x1f.\x1f./x/../y\x1f//x")
	sch, err := sarifSchema()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, n uint8, text string) {
		r := fuzzResult(int(n), text)
		var buf bytes.Buffer
		if err := WriteSARIF(&buf, r, nil, SARIFOptions{}); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("not valid SARIF 2.1.0: %v", err)
		}
		var doc sarifDoc
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		checkGitHubSARIF(t, &doc, buf.Len())
		if want := len(r.Findings) + len(r.Errors); len(doc.Runs[0].Results) != want {
			t.Fatalf("%d results for %d findings and evaluation errors", len(doc.Runs[0].Results), want)
		}
	})
}
