// Command genlimits writes the inputs of bench/limits.sh: test reports and
// YAML files of the sizes the hostile-input campaign of issue 11 used, to
// measure that memory is bounded per run. The output is deterministic.
//
//	go run ./bench/genlimits -out DIR [-mb 200] [-yaml-mb 50]
//
// DIR/junit.xml          JUnit, -mb MB of test cases (one in 1,000 failing, none linked)
// DIR/junit-linked.xml   JUnit, -mb/4 MB of cases that each name a requirement (all kept)
// DIR/system-out.xml     JUnit, one failing case with -mb MB of <system-out>
// DIR/gotest.jsonl       go test -json, -mb MB of events (2,000 tests a package)
// DIR/requirements.yml   native requirements YAML, -yaml-mb MB
// DIR/alias/r0..r9.yml   ten requirement files of ~300 bytes whose aliases expand to 10^8 values
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", "bench/out/limits", "output directory")
	mb := flag.Int("mb", 200, "size of the test reports, MB")
	yamlMB := flag.Int("yaml-mb", 50, "size of the YAML file, MB")
	flag.Parse()
	if err := run(*out, int64(*mb)<<20, int64(*yamlMB)<<20); err != nil {
		fmt.Fprintln(os.Stderr, "genlimits:", err)
		os.Exit(1)
	}
}

func run(dir string, size, yamlSize int64) error {
	if err := os.MkdirAll(filepath.Join(dir, "alias"), 0o755); err != nil {
		return err
	}
	for name, gen := range map[string]func(*counter){
		"junit.xml":        func(w *counter) { junit(w, size, false) },
		"junit-linked.xml": func(w *counter) { junit(w, size/4, true) },
		"system-out.xml":   func(w *counter) { systemOut(w, size) },
		"gotest.jsonl":     func(w *counter) { gotest(w, size) },
		"requirements.yml": func(w *counter) { requirements(w, yamlSize) },
	} {
		if err := write(filepath.Join(dir, name), gen); err != nil {
			return err
		}
	}
	for i := 0; i < 10; i++ {
		if err := write(filepath.Join(dir, "alias", fmt.Sprintf("r%d.yml", i)), func(w *counter) { aliases(w, i) }); err != nil {
			return err
		}
	}
	return nil
}

// counter is a buffered file that counts what was written.
type counter struct {
	*bufio.Writer
	n int64
}

func (c *counter) put(s string) {
	c.WriteString(s)
	c.n += int64(len(s))
}

func write(path string, gen func(*counter)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := &counter{Writer: bufio.NewWriterSize(f, 1<<20)}
	gen(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func junit(w *counter, size int64, linked bool) {
	w.put(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<testsuites>\n")
	for s, i := 0, 0; w.n < size; s++ {
		w.put(fmt.Sprintf(`<testsuite name="tests.system.suite_%d" tests="1000" failures="1" errors="0" time="1.0">`+"\n", s))
		for j := 0; j < 1000; j++ {
			name := fmt.Sprintf("test_behaviour_of_feature_number_%07d[param-a-b]", i)
			if linked {
				name = fmt.Sprintf("test_SRS-%03d_behaviour_%07d", 1+i%50, i)
			}
			if j == 500 {
				w.put(fmt.Sprintf(`  <testcase classname="tests.system.test_module_%05d.TestSomething" name="%s" time="0.001234"><failure message="rate off by 3 %%">Traceback: assert 12.0 == 12.4</failure></testcase>`+"\n", s, name))
			} else {
				w.put(fmt.Sprintf(`  <testcase classname="tests.system.test_module_%05d.TestSomething" name="%s" time="0.001234"/>`+"\n", s, name))
			}
			i++
		}
		w.put("</testsuite>\n")
	}
	w.put("</testsuites>\n")
}

func systemOut(w *counter, size int64) {
	w.put(`<?xml version="1.0"?>` + "\n" + `<testsuite name="big" tests="1" failures="1"><testcase classname="c" name="test_logs"><failure message=""/><system-out>`)
	line := "log line with some text &amp; more &lt;escaped&gt; stuff 0123456789 abcdefghijklmnopqrstuvwxyz\n"
	for w.n < size {
		w.put(line)
	}
	w.put("FAILED: rate off by 3 %</system-out></testcase></testsuite>\n")
}

func gotest(w *counter, size int64) {
	ev := func(m map[string]any) {
		b, _ := json.Marshal(m)
		w.put(string(b) + "\n")
	}
	for p, i := 0, 0; w.n < size; p++ {
		pkg := fmt.Sprintf("example.com/mod/pkg%d", p)
		for j := 0; j < 2000; j++ {
			name := fmt.Sprintf("TestBehaviour%07d", i)
			t := "2026-11-21T06:18:11.508566997Z"
			ev(map[string]any{"Time": t, "Action": "run", "Package": pkg, "Test": name})
			ev(map[string]any{"Time": t, "Action": "output", "Package": pkg, "Test": name, "Output": "=== RUN   " + name + "\n"})
			ev(map[string]any{"Time": t, "Action": "output", "Package": pkg, "Test": name, "Output": "--- PASS: " + name + " (0.00s)\n"})
			ev(map[string]any{"Time": t, "Action": "pass", "Package": pkg, "Test": name, "Elapsed": 0})
			i++
		}
		ev(map[string]any{"Time": "2026-11-21T06:18:12Z", "Action": "pass", "Package": pkg, "Elapsed": 1.0})
	}
}

func requirements(w *counter, size int64) {
	for i := 0; w.n < size; i++ {
		w.put(fmt.Sprintf("- id: SRS-%d\n  title: Requirement number %d of the generated file\n  text: The pump shall do thing %d %s\n  status: approved\n  parents: [SYS-1]\n",
			1000+i, i, i, strings.Repeat("x", 60)))
	}
}

// aliases is a requirement whose title nests eight levels of nine aliases.
func aliases(w *counter, k int) {
	w.put(fmt.Sprintf("- id: SRS-%d\n  title: &a [x,x,x,x,x,x,x,x,x]\n", k))
	prev := "a"
	for _, n := range "bcdefgh" {
		w.put(fmt.Sprintf("  t%c: &%c [%s]\n", n, n, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",")))
		prev = string(n)
	}
}
