// Package input holds what every reader shares: positions in a source file,
// errors and warnings that name them, and a guarded way to open a file so that
// a huge or binary file is refused before it is read into memory.
package input
