package testtag

import (
	"regexp"
	"strings"
	"sync"
)

// Kinds of definition.
const (
	kOther = iota // a function or class that is not a test
	kTest         // a test: its name is a test case's name
	kGroup        // a test class, describe block or module: its tests share its tags
)

// defMatch is a definition found on a code line.
type defMatch struct {
	name string
	kind int
	col  int  // byte offset in the line where the definition starts
	call bool // a call (it('…', …)): its extent is its parentheses
}

// lang is what the line scanner knows of a language.
type lang struct {
	name       string
	line       []string  // line comment markers
	block      [2]string // block comment delimiters
	quotes     string    // string quote characters
	multi      string    // quotes whose strings span lines
	triple     bool      // """ and ''' strings
	docStrings bool      // tags count in triple-quoted strings (Python docstrings)
	rustChars  bool      // ' is a char literal only when it closes ('a is a lifetime)
	indent     bool      // scopes by indentation (Python), not braces
	sep        string    // joins a test's name to its class or module
	defs       func(line string, preamble string) []defMatch
}

func (l *lang) multiLine(q byte) bool { return strings.IndexByte(l.multi, q) >= 0 }

var (
	javaNotType = map[string]bool{"return": true, "new": true, "throw": true, "else": true, "case": true, "assert": true, "yield": true, "await": true}
	javaNotName = map[string]bool{"if": true, "for": true, "while": true, "switch": true, "catch": true, "synchronized": true, "try": true, "do": true, "return": true, "new": true}
)

var cLike = lang{line: []string{"//"}, block: [2]string{"/*", "*/"}, quotes: `"'`, sep: "."}

// langs maps file extensions to languages. Built, and its expressions
// compiled, on first use: most runs read no test source.
var langs = sync.OnceValue(newLangs)

// unknownLang reads // and # comments and knows no definitions: every tag
// in such a file is reported as not attached.
var unknownLang = &lang{name: "unknown", line: []string{"//", "#"}, block: [2]string{"/*", "*/"}, quotes: `"`,
	defs: func(string, string) []defMatch { return nil }}

func newLangs() map[string]*lang {
	pyDef := regexp.MustCompile(`^(\s*)(?:async\s+)?def\s+(\w+)\s*\(`)
	pyClass := regexp.MustCompile(`^(\s*)class\s+(\w+)\s*[:(]`)
	javaMethod := regexp.MustCompile(`^(\s*)(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|protected|private|static|final|abstract|synchronized|default|native|strictfp)\s+)*(?:<[^>]*>\s+)?([\w.$]+(?:<[^()]*>)?(?:\[\])*)\s+(\w+)\s*\(`)
	javaClass := regexp.MustCompile(`\b(?:class|interface|enum|record)\s+(\w+)`)
	kotlinFun := regexp.MustCompile("\\bfun\\s+(?:<[^>]*>\\s*)?(?:[\\w.]+\\.)?(?:`([^`]+)`|(\\w+))\\s*\\(")
	kotlinClass := regexp.MustCompile(`\b(?:class|object)\s+(\w+)`)
	jvmTestAnn := regexp.MustCompile(`@(?:[\w.]+\.)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example|Theory)\b`)
	jsCall := regexp.MustCompile("(?:^|[^\\w.$])(describe|context|suite|it|test|specify)((?:\\.(?:only|skip|todo|concurrent|failing|sequential|each(?:\\([^()]*\\)|`[^`]*`)?))*)\\s*\\(\\s*(?:'((?:\\\\.|[^'\\\\])*)'|\"((?:\\\\.|[^\"\\\\])*)\"|`((?:\\\\.|[^`\\\\])*)`)")
	gtest := regexp.MustCompile(`\b(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)`)
	catch2 := regexp.MustCompile(`\b(?:TEST_CASE|SCENARIO|TEST_CASE_METHOD)\s*\(\s*(?:\w+\s*,\s*)?"((?:\\.|[^"\\])*)"`)
	rustFn := regexp.MustCompile(`\bfn\s+(\w+)\s*(?:<[^>]*>)?\s*\(`)
	rustMod := regexp.MustCompile(`\bmod\s+(\w+)\s*\{`)
	rustTestAtt := regexp.MustCompile(`#\[\s*(?:[\w:]+::)?(?:test|rstest|test_case|quickcheck|proptest)\b`)
	goFunc := regexp.MustCompile(`^func\s+(?:\([^)]*\)\s*)?(\w+)\s*[\[(]`)
	langs := map[string]*lang{}
	python := &lang{name: "python", line: []string{"#"}, quotes: `"'`, triple: true, docStrings: true, indent: true, sep: ".",
		defs: func(l, _ string) []defMatch {
			if m := pyDef.FindStringSubmatch(l); m != nil {
				k := kOther
				if strings.HasPrefix(m[2], "test") {
					k = kTest
				}
				return []defMatch{{name: m[2], kind: k, col: len(m[1])}}
			}
			if m := pyClass.FindStringSubmatch(l); m != nil {
				k := kOther
				if strings.HasPrefix(m[2], "Test") {
					k = kGroup
				}
				return []defMatch{{name: m[2], kind: k, col: len(m[1])}}
			}
			return nil
		}}
	java := cLike
	java.name, java.sep = "java", "."
	java.defs = func(l, pre string) []defMatch {
		if m := javaClass.FindStringSubmatchIndex(l); m != nil && !strings.Contains(l[:m[0]], "(") {
			return []defMatch{{name: l[m[2]:m[3]], kind: kGroup, col: m[0]}}
		}
		if m := javaMethod.FindStringSubmatch(l); m != nil && !javaNotType[m[2]] && !javaNotName[m[3]] {
			return []defMatch{{name: m[3], kind: jvmKind(jvmTestAnn, l, pre), col: len(m[1])}}
		}
		return nil
	}
	kotlin := cLike
	kotlin.name, kotlin.triple, kotlin.multi = "kotlin", true, `"`
	kotlin.defs = func(l, pre string) []defMatch {
		if m := kotlinFun.FindStringSubmatchIndex(l); m != nil {
			name := ""
			if m[2] >= 0 {
				name = l[m[2]:m[3]]
			} else {
				name = l[m[4]:m[5]]
			}
			return []defMatch{{name: name, kind: jvmKind(jvmTestAnn, l, pre), col: m[0]}}
		}
		if m := kotlinClass.FindStringSubmatchIndex(l); m != nil {
			return []defMatch{{name: l[m[2]:m[3]], kind: kGroup, col: m[0]}}
		}
		return nil
	}
	js := cLike
	js.name, js.quotes, js.multi, js.sep = "javascript", "\"'`", "`", " "
	js.defs = func(l, _ string) []defMatch {
		var out []defMatch
		for _, m := range jsCall.FindAllStringSubmatchIndex(l, -1) {
			name := ""
			for g := 3; g <= 5; g++ {
				if m[2*g] >= 0 {
					name = unescapeJS(l[m[2*g]:m[2*g+1]])
				}
			}
			k := kTest
			if kw := l[m[2]:m[3]]; kw == "describe" || kw == "context" || kw == "suite" {
				k = kGroup
			}
			out = append(out, defMatch{name: name, kind: k, col: m[2], call: true})
		}
		return out
	}
	cpp := cLike
	cpp.name = "c++"
	cpp.defs = func(l, _ string) []defMatch {
		if m := gtest.FindStringSubmatchIndex(l); m != nil {
			return []defMatch{{name: l[m[2]:m[3]] + "." + l[m[4]:m[5]], kind: kTest, col: m[0]}}
		}
		if m := catch2.FindStringSubmatchIndex(l); m != nil {
			return []defMatch{{name: l[m[2]:m[3]], kind: kTest, col: m[0]}}
		}
		return nil
	}
	rust := cLike
	rust.name, rust.rustChars, rust.multi, rust.sep = "rust", true, `"`, "::"
	rust.defs = func(l, pre string) []defMatch {
		if m := rustMod.FindStringSubmatchIndex(l); m != nil {
			return []defMatch{{name: l[m[2]:m[3]], kind: kGroup, col: m[0]}}
		}
		if m := rustFn.FindStringSubmatchIndex(l); m != nil {
			k := kOther
			if rustTestAtt.MatchString(pre) || rustTestAtt.MatchString(l[:m[0]]) {
				k = kTest
			}
			return []defMatch{{name: l[m[2]:m[3]], kind: k, col: m[0]}}
		}
		return nil
	}
	gol := cLike
	gol.name, gol.quotes, gol.multi = "go", "\"'`", "`"
	gol.defs = func(l, _ string) []defMatch {
		if m := goFunc.FindStringSubmatch(l); m != nil {
			k := kOther
			for _, p := range []string{"Test", "Fuzz", "Example", "Benchmark"} {
				if strings.HasPrefix(m[1], p) {
					k = kTest
				}
			}
			return []defMatch{{name: m[1], kind: k}}
		}
		return nil
	}
	for _, e := range []string{".py"} {
		langs[e] = python
	}
	for _, e := range []string{".java"} {
		langs[e] = &java
	}
	for _, e := range []string{".kt", ".kts"} {
		langs[e] = &kotlin
	}
	for _, e := range []string{".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"} {
		langs[e] = &js
	}
	for _, e := range []string{".c", ".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx"} {
		langs[e] = &cpp
	}
	langs[".rs"] = &rust
	langs[".go"] = &gol
	return langs
}

// jvmKind tells a test method (annotated @Test and the like, on its line or
// the lines above it) from any other method.
func jvmKind(testAnn *regexp.Regexp, line, preamble string) int {
	if testAnn.MatchString(preamble) || testAnn.MatchString(line) {
		return kTest
	}
	return kOther
}

// unescapeJS undoes the escapes of a JavaScript string literal that can
// appear in a test title.
func unescapeJS(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
