package ingest

import "testing"

func TestFirstHeading(t *testing.T) {
	cases := []struct {
		name, body  string
		level1      bool
		title, rest string
		found       bool
	}{
		{"first line", "# Title\n\nText.\n", false, "Title", "\nText.\n", true},
		{"closing hashes and spaces", "  ## Title ##  \nText", false, "Title", "Text", true},
		{"later heading", "Intro.\n\n# Need\n\nText.\n", true, "Need", "Intro.\n\n\nText.\n", true},
		{"level 1 only", "## Sub\n# Top\n", true, "Top", "## Sub\n", true},
		{"any level", "### Sub\n# Top\n", false, "Sub", "# Top\n", true},
		{"inside a fence", "```\n# comment\n```\n# Title\n", false, "Title", "```\n# comment\n```\n", true},
		{"inside a tilde fence", "~~~sh\n# comment\n~~~\n", false, "", "~~~sh\n# comment\n~~~\n", false},
		{"hashtag", "#hashtag\n", false, "", "#hashtag\n", false},
		{"indented code", "    # code\n", false, "", "    # code\n", false},
		{"seven hashes", "####### x\n", false, "", "####### x\n", false},
		{"empty heading", "#\ntext", false, "", "text", true},
		{"none", "text\n", false, "", "text\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			title, rest, found := FirstHeading(c.body, c.level1)
			if title != c.title || rest != c.rest || found != c.found {
				t.Errorf("got %q %q %v, want %q %q %v", title, rest, found, c.title, c.rest, c.found)
			}
		})
	}
}
