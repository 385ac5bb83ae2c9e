package model

// ShortSHA abbreviates a commit ID to its first 12 characters, as git
// does, for messages and documents; other text (a commit field of a
// result read back) is cut at a character, never inside one.
func ShortSHA(sha string) string {
	if len(sha) <= 12 {
		return sha
	}
	if r := []rune(sha); len(r) > 12 {
		return string(r[:12])
	}
	return sha
}
