package report

import "testing"

func TestXLSXEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          "plain",
		"_x0041_":        "_x005f_x0041_",
		"_x0041_x0042_":  "_x005f_x0041_x005f_x0042_",
		"_X00aF_":        "_x005f_X00aF_",
		"_x004_ _x00G1_": "_x004_ _x00G1_",
	} {
		if got := xlsxEscape(in); got != want {
			t.Errorf("xlsxEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
