package model

import (
	"fmt"
	"strings"
)

// Class is an IEC 62304 software safety class (clause 4.3).
type Class string

const (
	ClassA Class = "A" // no injury or damage to health is possible
	ClassB Class = "B" // non-serious injury is possible
	ClassC Class = "C" // death or serious injury is possible
)

// ParseClass accepts A, B or C in any case, with an optional "class " prefix.
func ParseClass(s string) (Class, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSpace(strings.TrimPrefix(t, "CLASS"))
	switch Class(t) {
	case ClassA, ClassB, ClassC:
		return Class(t), nil
	}
	return "", fmt.Errorf("unknown software safety class %q, expected A, B or C", s)
}

// Rank orders classes A < B < C; the zero class ranks lowest (0).
func (c Class) Rank() int {
	switch c {
	case ClassA:
		return 1
	case ClassB:
		return 2
	case ClassC:
		return 3
	}
	return 0
}

// AtLeast reports whether c is min or a more severe class.
func (c Class) AtLeast(min Class) bool { return c.Rank() >= min.Rank() }

// Max returns the more severe of two classes.
func Max(a, b Class) Class {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}
