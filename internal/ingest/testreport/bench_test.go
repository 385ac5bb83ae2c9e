package testreport

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// bigReport is a Surefire-like report of n cases, every tenth failing with
// a long stack trace, every case with output.
func bigReport(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<testsuites>\n")
	trace := strings.Repeat("\tat com.example.pump.BolusTest.method(BolusTest.java:42)\n", 200)
	for s := 0; s < n/100; s++ {
		fmt.Fprintf(&b, "<testsuite name=\"com.example.S%d\" tests=\"100\">\n<properties><property name=\"requirement\" value=\"SRS-%d\"/></properties>\n", s, s)
		for c := 0; c < 100; c++ {
			fmt.Fprintf(&b, "<testcase classname=\"com.example.S%d\" name=\"t%d\" time=\"0.01\">", s, c)
			if c%10 == 0 {
				b.WriteString("<failure message=\"boom\" type=\"java.lang.AssertionError\"><![CDATA[" + trace + "]]></failure>")
			}
			b.WriteString("<system-out><![CDATA[" + strings.Repeat("log line\n", 20) + "]]></system-out></testcase>\n")
		}
		b.WriteString("</testsuite>\n")
	}
	b.WriteString("</testsuites>\n")
	return []byte(b.String())
}

func BenchmarkJUnit(b *testing.B) {
	data := bigReport(20000)
	fsys := fstest.MapFS{"r.xml": {Data: data}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		items, err := JUnit{}.Read(fsys, "r.xml")
		if err != nil || len(items.Tests) != 20000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoTestJSON(b *testing.B) {
	var s strings.Builder
	for p := 0; p < 200; p++ {
		pkg := fmt.Sprintf("example.com/p%d", p)
		for t := 0; t < 100; t++ {
			name := fmt.Sprintf("Test%d", t)
			s.WriteString(ev("run", pkg, name, "") + ev("output", pkg, name, "=== RUN   "+name+"\n") + ev("output", pkg, name, "    x_test.go:1: some log\n"))
			if t%10 == 0 {
				s.WriteString(ev("fail", pkg, name, ""))
			} else {
				s.WriteString(ev("pass", pkg, name, ""))
			}
		}
		s.WriteString(ev("fail", pkg, "", ""))
	}
	data := []byte(s.String())
	fsys := fstest.MapFS{"r.jsonl": {Data: data}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		items, err := GoTestJSON{}.Read(fsys, "r.jsonl")
		if err != nil || len(items.Tests) != 20000 {
			b.Fatal(err)
		}
	}
}
